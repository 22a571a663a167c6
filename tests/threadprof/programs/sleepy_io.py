# first: sleep sleepy_io.py:12
# Threads that mostly wait for (simulated) I/O.
import time

from _workers import run_two


def worker(out, index):
    total = 0
    for i in range(40):
        total += sum(range(200))
        time.sleep(0.01)
    out[index] = total


print(run_two(worker))
