# expect: attribute 'value' of Box object
# The main thread runs alone again once a thread it never joined has ended: its read
# races with that thread's write (nothing orders them: the main thread waits for a file
# the thread creates, and then for the thread to be gone), and the report shows the
# read's own callers, though the same function was called through the same frames from
# another place just before (to read what the thread read too: no race, but recorded).
import _thread
import os
import tempfile
import threading
import time

written = os.path.join(tempfile.mkdtemp(), "written")


class Box:
    pass


shared, private = Box(), Box()
shared.value = private.value = 0


def read_value(box):
    return box.value


def dispatch(box):
    return read_value(box)


def read_private():
    return dispatch(private)


def read_shared():
    return dispatch(shared)


def write_value():
    private.value
    shared.value = 1
    open(written, "w").close()


threading.Thread(target=write_value).start()
while not os.path.exists(written) or _thread._count():
    time.sleep(0.01)
for _ in range(3):
    read_private()
print("value", read_shared())
