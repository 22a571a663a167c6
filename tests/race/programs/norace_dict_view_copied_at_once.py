# expect: no race
# `list(d.values())`, `sorted(d.items())` and `len(d.keys())` copy or read a dict at
# once, in C (atomic, as `list(d)` and `d.copy()` are): no race with another thread
# storing keys. CPython's ProcessPoolExecutor snapshots its processes this way.
import threading

processes = {}
lock = threading.Lock()


def spawn():
    for pid in range(100):
        with lock:
            processes[pid] = f"process {pid}"


def watch():
    sizes = set()
    for _ in range(100):
        sentinels = list(processes.values())
        pairs = sorted(processes.items())
        sizes.add(len(processes.keys()) >= len(sentinels) and len(pairs) >= 0)
    return sizes


threads = [threading.Thread(target=spawn), threading.Thread(target=watch)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(processes))
