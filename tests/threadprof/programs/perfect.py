# first: none
# first-with-gil: gil
# Independent work on thread-local data: scales with the cores.
from _workers import run_two


def worker(out, index):
    total = 0
    for i in range(4_000_000):
        total = (total + i * i) % 1000003
    out[index] = total


print(run_two(worker))
