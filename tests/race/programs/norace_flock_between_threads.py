# expect: no race
# `fcntl.flock` locks of two open files of one file exclude each other, between the
# threads of one process too: each thread opens the lock file itself and updates the
# counter under the file lock. One gives it up with LOCK_UN, the other by closing the
# descriptor that holds it; a third locks a file object, with flags of an IntFlag
# (as portalocker does).
import enum
import fcntl
import os
import tempfile
import threading

path = os.path.join(tempfile.mkdtemp(), "counter.lock")
open(path, "w").close()


class LockFlags(enum.IntFlag):
    EXCLUSIVE = fcntl.LOCK_EX
    UNBLOCK = fcntl.LOCK_UN


class Counter:
    def __init__(self):
        self.count = 0


counter = Counter()


def work(unlock_by_closing):
    for _ in range(100):
        descriptor = os.open(path, os.O_RDWR)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        counter.count += 1
        if not unlock_by_closing:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def work_on_file_objects():
    for _ in range(100):
        with open(path) as lock_file:
            fcntl.flock(lock_file, LockFlags.EXCLUSIVE)
            counter.count += 1
            fcntl.flock(lock_file, LockFlags.UNBLOCK)


threads = [threading.Thread(target=work, args=(False,)),
           threading.Thread(target=work, args=(True,)),
           threading.Thread(target=work_on_file_objects)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
os.remove(path)
print(counter.count)
