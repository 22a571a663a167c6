"""Many threads draining one generator: every value comes out exactly once, and a
thread that finds it running gets ValueError ("generator already executing")."""
import threading

N = 20000


def numbers():
    for i in range(N):
        if i % 100 == 0:
            sum(range(50))
        yield i


shared = numbers()
taken = []
errors = set()


def drain():
    while True:
        try:
            value = next(shared)
        except StopIteration:
            return
        except ValueError as error:
            errors.add(str(error))
            continue
        taken.append(value)


threads = [threading.Thread(target=drain) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert sorted(taken) == list(range(N)), len(taken)
assert errors <= {"generator already executing"}, errors
print("drained exactly once:", len(taken))
