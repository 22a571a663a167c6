# Timeouts in virtual time: a queue get that times out, a join with a timeout, a
# lock acquire that gives up, and a sleep of an hour that costs nothing.
import queue
import threading
import time

q = queue.Queue()
try:
    q.get(timeout=5)
except queue.Empty:
    print("empty after 5 s")
lock = threading.Lock()
lock.acquire()
assert not lock.acquire(timeout=2)


def sleeper():
    time.sleep(3600)


thread = threading.Thread(target=sleeper)
thread.start()
thread.join(timeout=1)
assert thread.is_alive()
thread.join()
assert not thread.is_alive()
print("slept an hour")
