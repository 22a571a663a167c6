# expect: attribute 'value' of Shared object
# An ended thread's last steps (the finalizer of a thread-local's value, which runs as
# the host lets go of the thread's state) run beside the main thread: its first write
# of a location, made while they run, races with their read. (Files order nothing for
# the detector: the finalizer waits for the write before it reads.)
import os
import tempfile
import threading
import time

folder = tempfile.mkdtemp()
finalizing = os.path.join(folder, "finalizing")
written = os.path.join(folder, "written")
shared = type("Shared", (), {})()
local = threading.local()


def wait_for(path):
    while not os.path.exists(path):
        time.sleep(0.01)


class Connection:
    def __del__(self):
        open(finalizing, "w").close()
        wait_for(written)
        print("closed, value", shared.value)


def work():
    local.connection = Connection()


thread = threading.Thread(target=work)
thread.start()
wait_for(finalizing)
shared.value = 2
open(written, "w").close()
thread.join()
