"""Eight threads calling next() on one generator in a loop, many times over; then six
that advance one generator through generators delegating to it (`yield from`) and
directly: the process never crashes, every value is handed out once, and a thread
that finds the generator running (or delegated to elsewhere) gets ValueError
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


def first_numbers():
    yield from range(STEPS)


def delegating(inner):
    return (yield from inner)


def directly(shared, taken, errors):
    for _ in range(STEPS):
        try:
            taken.append(next(shared))
        except ValueError as error:
            errors.add(str(error))
        except StopIteration:
            break


def through_delegation(shared, taken, errors):
    for _ in range(50):
        try:
            for value in delegating(shared):
                taken.append(value)
        except ValueError as error:
            errors.add(str(error))


def run_round(shared, workers):
    errors = set()
    taken = []
    start = threading.Barrier(len(workers))

    def advance(work):
        start.wait()
        work(shared, taken, errors)

    threads = [threading.Thread(target=advance, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every value handed out once, in order of the generator's own count.
    assert sorted(taken) == list(range(len(taken))), len(taken)
    assert errors <= {"generator already executing"}, errors


for _ in range(ROUNDS):
    run_round(numbers(), [directly] * THREADS)
print("rounds without a crash:", ROUNDS)
for _ in range(ROUNDS):
    run_round(first_numbers(), [directly, through_delegation] * 3)
print("delegated rounds without a crash:", ROUNDS)
