# The flag is published before the data it guards: a reader that sees the
# flag may read the data before it is written.
import threading


class Box:
    def __init__(self):
        self.ready = False
        self.data = None


box = Box()
seen = []


def writer():
    box.ready = True
    box.data = 42


def reader():
    if box.ready:
        seen.append(box.data)


threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert None not in seen, "read the data before it was published"
