# expect: no race
# Threads that only read shared data at the same time do not race, however many reads
# they make; writes after every reader has been joined are ordered after all of them.
import threading

limits = {"requests": 10, "burst": 3}


class Pool:
    size = 4

    def __init__(self):
        self.free = [True] * Pool.size


def check(pool, seen):
    for _ in range(300):
        if limits["requests"] > limits["burst"] and pool.free[0] and "burst" in limits:
            seen.append(pool.size)


pool = Pool()
seen = []
readers = [threading.Thread(target=check, args=(pool, seen)) for _ in range(3)]
for reader in readers:
    reader.start()
for reader in readers:
    reader.join()
limits["requests"] = 20
pool.free[0] = False
Pool.size = 8
print(len(seen), limits, pool.free, Pool.size)
