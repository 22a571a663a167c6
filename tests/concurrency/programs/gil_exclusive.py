"""Under a GIL that switches only at function entries and loop back-edges, an
unlocked `counter += 1` loop never loses an update (run in the GIL mode only:
on a free-threaded host, the default mode loses updates, as CPython 3.13t does)."""
import threading

THREADS = 4
N = 100000
counter = 0
start = threading.Barrier(THREADS)


def count():
    global counter
    start.wait()
    for _ in range(N):
        counter += 1


threads = [threading.Thread(target=count) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter", counter, "of", THREADS * N)
