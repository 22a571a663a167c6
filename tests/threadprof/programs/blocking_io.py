# first: io blocking_io.py:14
# Threads that mostly block in a system call (select on a pipe nobody writes to).
import os
import select

from _workers import run_two


def worker(out, index):
    reader, writer = os.pipe()
    total = 0
    for i in range(40):
        total += sum(range(200))
        select.select([reader], [], [], 0.01)
    os.close(reader)
    os.close(writer)
    out[index] = total


print(run_two(worker))
