"""Errors raised by waiting calls look as they do in CPython: no gilless frame, no chaining."""
import os
import queue
import threading
import time
import traceback

try:
    queue.SimpleQueue().get(timeout=0.01)
except queue.Empty:
    traceback.print_exc()
try:
    os.read(-1, 1)
except OSError:
    traceback.print_exc()
try:
    time.sleep(-1)
except ValueError:
    traceback.print_exc()
try:
    threading.Lock().acquire(timeout=-5)
except ValueError:
    traceback.print_exc()
try:
    threading.Thread(target=print).join(-1)
except RuntimeError:
    traceback.print_exc()
lock = threading.Lock()
print(lock.acquire(timeout=0.01), lock.acquire(timeout=0.01), lock.acquire(False))
for unlocked in (threading.Lock(), threading.RLock()):
    try:
        unlocked.release()
    except RuntimeError:
        traceback.print_exc()
