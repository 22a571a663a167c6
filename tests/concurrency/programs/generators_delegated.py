"""Threads that advance one generator through generators delegating to it (`yield
from`) and directly, many times over: the process never crashes, every value is
handed out once, and a thread that finds the generator running (or delegated to
elsewhere) gets ValueError ("generator already executing")."""
import threading

ROUNDS = 20
THREADS = 6
VALUES = 3000


def numbers():
    for i in range(VALUES):
        yield i


def delegating(inner):
    return (yield from inner)


def run_round():
    shared = numbers()
    errors = set()
    taken = []
    start = threading.Barrier(THREADS)

    def through_delegation():
        start.wait()
        for _ in range(50):
            try:
                for value in delegating(shared):
                    taken.append(value)
            except ValueError as error:
                errors.add(str(error))

    def directly():
        start.wait()
        for _ in range(VALUES):
            try:
                taken.append(next(shared))
            except ValueError as error:
                errors.add(str(error))
            except StopIteration:
                break

    threads = [threading.Thread(target=through_delegation if i % 2 else directly)
               for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(len(taken))), len(taken)
    assert errors <= {"generator already executing"}, errors


for _ in range(ROUNDS):
    run_round()
print("rounds without a crash:", ROUNDS)
