# expect: attribute 'count' of Counter object
# `fcntl.lockf` (a POSIX record lock) belongs to the process: the threads of one
# process do not exclude each other with it, and each updates the counter at will.
import fcntl
import os
import tempfile
import threading

path = os.path.join(tempfile.mkdtemp(), "counter.lock")
open(path, "w").close()


class Counter:
    def __init__(self):
        self.count = 0


counter = Counter()


def work():
    for _ in range(100):
        descriptor = os.open(path, os.O_RDWR)
        fcntl.lockf(descriptor, fcntl.LOCK_EX)
        counter.count += 1
        fcntl.lockf(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
os.remove(path)
print("done")
