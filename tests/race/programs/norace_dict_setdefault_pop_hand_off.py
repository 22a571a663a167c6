# expect: no race
# dict.setdefault and dict.pop (and popitem) are atomic: an object a thread stores
# with setdefault is handed to the thread that pops it, with what the first thread
# wrote into it before.
import threading


class Job:
    pass


pending = {}


def submit(key):
    job = Job()
    job.argument = key * 2
    pending.setdefault(key, job)


def run(key):
    while True:
        job = pending.pop(key, None)
        if job is not None:
            return job.argument


def run_any():
    while True:
        try:
            _, job = pending.popitem()
        except KeyError:
            continue
        return job.argument


results = []
runner = threading.Thread(target=lambda: results.append(run("a")))
runner.start()
submitter = threading.Thread(target=submit, args=("a",))
submitter.start()
runner.join()
submitter.join()
submitter = threading.Thread(target=submit, args=("b",))
submitter.start()
results.append(run_any())
submitter.join()
print(results)
