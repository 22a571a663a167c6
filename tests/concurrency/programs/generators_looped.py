"""Threads running `for` loops over one generator that all of them can reach (a global,
an item of a list, an attribute, the argument of a function named as a built-in that
advances alone what it gets): every value comes out exactly once, and a loop that finds
it running stops with ValueError ("generator already executing"), where a loop or a
built-in that alone holds a generator runs it freely."""
import builtins
import threading

N = 20000
THREADS = 4


def numbers():
    for i in range(N):
        if i % 100 == 0:
            sum(range(50))
        yield i


class Holder:
    pass


def drain(source, taken, errors):
    while True:
        try:
            for value in source():
                taken.append(value)
            return
        except ValueError as error:
            errors.add(str(error))


def run(label, source):
    taken, errors = [], set()
    threads = [threading.Thread(target=drain, args=(source, taken, errors))
               for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == list(range(N)), (label, len(taken))
    assert errors <= {"generator already executing"}, errors
    print(f"{label}: drained exactly once")


shared = numbers()
run("a global", lambda: shared)
box = [numbers()]
run("a list's item", lambda: box[0])
holder = Holder()
holder.generator = numbers()
run("an attribute", lambda: holder.generator)



def named_as_built_ins():
    def list(generator):
        # Named as the built-in that advances alone what it gets, which this does not.
        run("given to a function named list", lambda: generator)

    def sum(generator):
        run("a generator expression given to a function named sum", lambda: generator)

    def enumerate(generator):
        run("given to a function named enumerate", lambda: generator)
        return iter(())

    list(numbers())
    sum(value for value in numbers())
    for _ in enumerate(numbers()):
        pass


def built_ins_named_otherwise():
    # A built-in that makes an iterator, named as one that advances what it gets alone.
    list = builtins.zip
    shared = list(numbers())
    run("kept by a built-in named otherwise", lambda: (value for (value,) in shared))


named_as_built_ins()
built_ins_named_otherwise()


def own_loops():
    sums = []

    def loop():
        sums.append(sum(value for value in numbers()))
        sums.append(sum([value for value in numbers()]))
        total = 0
        for value in numbers():
            total += value
        sums.append(total)
    threads = [threading.Thread(target=loop) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sums == [N * (N - 1) // 2] * 3 * THREADS, sums
    print("each thread's own loops: all values")


own_loops()
