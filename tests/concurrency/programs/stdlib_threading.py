"""The standard library's threading tools, unmodified, under gilless."""
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

with ThreadPoolExecutor(max_workers=4) as pool:
    print("pool map", sum(pool.map(lambda x: x * x, range(200))))
    futures = [pool.submit(pow, 2, k) for k in range(10)]
    print("pool futures", sorted(f.result() for f in as_completed(futures)))

jobs = queue.Queue(maxsize=8)
results = queue.Queue()


def producer():
    for i in range(500):
        jobs.put(i)
    for _ in range(3):
        jobs.put(None)


def consumer():
    while (item := jobs.get()) is not None:
        results.put(item * 2)
        jobs.task_done()
    jobs.task_done()


workers = [threading.Thread(target=consumer) for _ in range(3)] + [threading.Thread(target=producer)]
for w in workers:
    w.start()
jobs.join()
for w in workers:
    w.join()
print("queue", sum(results.get() for _ in range(500)), results.empty())

condition = threading.Condition()
ready = []


def notifier():
    with condition:
        ready.append(1)
        condition.notify_all()


with condition:
    threading.Thread(target=notifier).start()
    print("condition", condition.wait_for(lambda: ready, timeout=10))

semaphore = threading.BoundedSemaphore(2)
active = []
peak = []
peak_lock = threading.Lock()


def limited():
    with semaphore:
        with peak_lock:
            active.append(1)
            peak.append(len(active))
        time.sleep(0.05)
        with peak_lock:
            active.pop()


ts = [threading.Thread(target=limited) for _ in range(6)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("semaphore peak", max(peak))

barrier = threading.Barrier(3)
order = []


def meet(k):
    order.append(barrier.wait(timeout=10) is not None)


ts = [threading.Thread(target=meet, args=(k,)) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("barrier", order)

fired = threading.Event()
timer = threading.Timer(0.02, fired.set)
timer.start()
print("timer", fired.wait(10))
timer.join()

local = threading.local()
local.value = "main"
seen = []


def per_thread(k):
    local.value = k
    time.sleep(0.01)
    seen.append(local.value == k)


ts = [threading.Thread(target=per_thread, args=(k,)) for k in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("local", seen, local.value)

rlock = threading.RLock()
with rlock:
    with rlock:
        print("rlock reentrant", rlock._is_owned())
lock = threading.Lock()
print("lock timeout", lock.acquire(), lock.acquire(timeout=0.01), lock.acquire(False))
lock.release()
print("idents", threading.get_ident() == threading.main_thread().ident,
      isinstance(threading.get_native_id(), int), threading.active_count())
