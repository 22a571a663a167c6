# first: io blocking_io.py:13
# Threads that mostly block in a system call (select on a pipe nobody writes to).
import os
import select
import threading


def worker(out, index):
    reader, writer = os.pipe()
    total = 0
    for i in range(40):
        total += sum(range(200))
        select.select([reader], [], [], 0.01)
    os.close(reader)
    os.close(writer)
    out[index] = total


out = [0, 0]
threads = [threading.Thread(target=worker, args=(out, i)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sum(out))
