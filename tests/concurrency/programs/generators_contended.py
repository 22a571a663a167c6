"""Eight threads calling next() on one generator in a loop, many times over: the
process never crashes, and a thread that finds the generator running gets ValueError
("generator already executing"), as under CPython with a GIL."""
import threading

ROUNDS = 30
THREADS = 8
STEPS = 2000


def numbers():
    i = 0
    while True:
        yield i
        i += 1


def run_round():
    shared = numbers()
    errors = set()
    taken = []
    start = threading.Barrier(THREADS)

    def advance():
        start.wait()
        for _ in range(STEPS):
            try:
                taken.append(next(shared))
            except ValueError as error:
                errors.add(str(error))

    threads = [threading.Thread(target=advance) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every value handed out once, in order of the generator's own count.
    assert sorted(taken) == list(range(len(taken))), len(taken)
    assert errors <= {"generator already executing"}, errors


for _ in range(ROUNDS):
    run_round()
print("rounds without a crash:", ROUNDS)
