# first: lock fine_lock.py:8
# lock-acquisitions: 60000
# One lock taken for every item: the threads spend their time handing it over.
import threading

ITEMS = 30_000

lock = threading.Lock()
counts = {"done": 0}
start = threading.Barrier(2)


def worker():
    start.wait()
    for item in range(ITEMS):
        value = item * item % 64
        with lock:
            counts["done"] += 1
            counts[value] = counts.get(value, 0) + sum(range(item % 32))


threads = [threading.Thread(target=worker) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(counts["done"])
