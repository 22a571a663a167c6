# first: lock coarse_lock.py:8
# A coarse lock around the whole of each step: only one thread computes at a time.
import threading

STEPS = 40
WORK = 60_000

lock = threading.Lock()
results = []


def worker():
    for _ in range(STEPS):
        with lock:
            total = 0
            for i in range(WORK):
                total += i * i
            results.append(total)


threads = [threading.Thread(target=worker) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(results))
