# expect: attribute 'value' of Box object
# A collection orders what every thread did before it with the finalizers and weak
# reference callbacks it runs, not with what its thread does after it: a thread that
# collects and then reads what another thread wrote, with nothing else between them,
# races with it. (The reader waits for a file the writer creates, which orders nothing
# for the detector.)
import gc
import os
import tempfile
import threading
import time


class Box:
    pass


box = Box()
box.value = 0
written = os.path.join(tempfile.mkdtemp(), "written")


def write():
    box.value = 1
    open(written, "w").close()


def collect_then_read():
    while not os.path.exists(written):
        time.sleep(0.01)
    gc.collect()
    print("read", box.value)


threads = [threading.Thread(target=write), threading.Thread(target=collect_then_read)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
os.remove(written)
os.rmdir(os.path.dirname(written))
