# expect: no race
# A thread that polls `Event.is_set()` until it is true, or `Thread.is_alive()` until it
# is false, sees what the other thread did before `set()` or before it ended, as `wait()`
# and `join()` do.
import threading
import time


class Result:
    def __init__(self):
        self.rows = []
        self.summary = None


def build(result):
    result.rows.extend(range(10))
    result.summary = {"n": len(result.rows)}


first = Result()
thread = threading.Thread(target=build, args=(first,))
thread.start()
while thread.is_alive():
    time.sleep(0.001)
print("is_alive polled:", first.summary, first.rows[-1])

second = Result()
ready = threading.Event()


def build_and_signal(result):
    build(result)
    ready.set()


threading.Thread(target=build_and_signal, args=(second,)).start()
while not ready.is_set():
    time.sleep(0.001)
print("is_set polled:", second.summary, second.rows[-1])
