# first: shared object shared_dict.py:7
# first-with-gil: gil
# shared: TABLE shared_dict.py:7
# A dict every thread reads in its hot loop: no lock, but the dict is shared.
from _workers import run_two

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


print(run_two(worker))
