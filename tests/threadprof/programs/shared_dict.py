# first: shared object shared_dict.py:7
# first-with-gil: gil
# shared: TABLE shared_dict.py:7
# A dict every thread reads in its hot loop: no lock, but the dict is shared.
import threading

TABLE = {f"key{i}": i for i in range(100)}
KEYS = [f"key{i}" for i in range(100)]
ROUNDS = 60_000


def worker(out, index):
    keys = list(KEYS)
    total = 0
    for _ in range(ROUNDS):
        for key in keys:
            total += TABLE[key]
    out[index] = total


out = [0, 0]
threads = [threading.Thread(target=worker, args=(out, i)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sum(out))
