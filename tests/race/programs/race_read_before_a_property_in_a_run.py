# expect: attribute 'log' of Job object
# `log = job.log; out = job.output` is a run of reads recorded before its first
# statement: the read of `log`, made before the property's getter takes the lock, is
# still recorded, and races with the other thread's write, which no lock orders.
import threading
import time


class Job:
    def __init__(self):
        self._lock = threading.Lock()
        self._output = 0
        self.log = None

    @property
    def output(self):
        with self._lock:
            return self._output


def fill(job):
    job.log = ["computed"]


def read(job):
    log = job.log
    out = job.output
    return log, out


job = Job()
writer = threading.Thread(target=fill, args=(job,))
writer.start()
time.sleep(0.2)
reader = threading.Thread(target=read, args=(job,))
reader.start()
reader.join()
writer.join()
print(job.log)
