# expect: no race
# A property whose getter or setter takes a lock, in a run of accesses recorded together
# (`out = job.output; log = job.log`, `job.output + job.bonus`, stores before
# `task.state = "done"`): what its synchronisation orders is not recorded on the wrong
# side of it (a run's reads are recorded before it, its stores after it).
import threading
import time


class Job:
    def __init__(self):
        self._cond = threading.Condition()
        self._ready = False
        self._output = None
        self.log = None
        self.bonus = 0

    @property
    def output(self):
        with self._cond:
            self._cond.wait_for(lambda: self._ready)
            return self._output

    def complete(self, value):
        self.log = ["computed"]
        self.bonus = 5
        with self._cond:
            self._output = value
            self._ready = True
            self._cond.notify_all()


class Task:
    def __init__(self):
        self._lock = threading.Lock()
        self._state = "new"
        self.result = None
        self.finished_at = None

    @property
    def state(self):
        with self._lock:
            return self._state

    @state.setter
    def state(self, value):
        with self._lock:
            self._state = value


def consume(job):
    out = job.output
    log = job.log
    return out, log


def total(job):
    return job.output + job.bonus


def work(task):
    task.result = sum(range(100))
    task.finished_at = 12.5
    task.state = "done"


jobs = [Job(), Job()]
for job in jobs:
    threading.Thread(target=job.complete, args=(4950,)).start()
print(consume(jobs[0]), total(jobs[1]))
task = Task()
worker = threading.Thread(target=work, args=(task,))
worker.start()
while task.state != "done":
    time.sleep(0.001)
print(task.result, task.finished_at)
worker.join()
