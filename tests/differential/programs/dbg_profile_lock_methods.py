# modes: default, gil, race
# A profiler sees a lock's methods as CPython's C methods: acquire, release, locked and
# __exit__ by their names, and no call of __enter__ (a `with` statement's), in the GIL
# mode and under the tools too, where the locks are gilless's.
import sys
import threading

events = []


def profiler(frame, event, arg):
    if event.startswith("c_") and frame.f_code.co_name == "work":
        events.append((event, arg.__name__))


def work():
    lock = threading.Lock()
    rlock = threading.RLock()
    with lock:
        pass
    lock.acquire()
    lock.release()
    lock.locked()
    with rlock:
        pass
    rlock.acquire()
    rlock.release()
    lock.acquire_lock()
    lock.release_lock()


sys.setprofile(profiler)
work()
sys.setprofile(None)
for event in events:
    print(*event)
lock, rlock = threading.Lock(), threading.RLock()
for method in (lock.acquire, lock.release, lock.locked, lock.__exit__, lock.__enter__,
               rlock.acquire, rlock.release, rlock.__exit__):
    print(method.__name__, method.__qualname__)
