# Data published before an event is set is seen by the thread that waits for it.
import threading
import time

ready = threading.Event()


class Box:
    data = None


box = Box()
seen = []


def writer():
    time.sleep(0.5)
    box.data = 42
    ready.set()


def reader():
    ready.wait()
    seen.append(box.data)


threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert seen == [42], seen
print(seen)
