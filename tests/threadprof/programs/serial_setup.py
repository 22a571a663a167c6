# first: serial phase serial_setup.py:14
# A long single-threaded set-up before a short parallel part.
import threading


def worker(table, out, index):
    total = 0
    for value in table[index::16]:
        total += value % 7
    out[index] = total


SIZE = 2_000_000
table = [(i * 7919 + 12345) % 1000 for i in range(SIZE)]
out = [0, 0]
threads = [threading.Thread(target=worker, args=(table, out, i)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sum(out))
