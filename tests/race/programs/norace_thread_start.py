# expect: no race
# Thread.start orders everything the starting thread did before it with everything
# the new thread does: the worker reads and updates a job prepared by the main thread.
import threading


class Job:
    pass


job = Job()
job.payload = [1, 2, 3]
job.status = "ready"


def run():
    job.status = f"ran on {sum(job.payload)}"


worker = threading.Thread(target=run)
worker.start()
worker.join()
print(job.status)
