# expect: no race
# Items put into a deque while the program has one thread, then taken by a thread
# started after: the start publishes the items, and what was written after the puts.
import collections
import threading


class Job:
    def __init__(self, number):
        self.number = number


jobs = collections.deque()
for number in range(3):
    job = Job(number)
    jobs.append(job)
    job.number *= 10
results = []


def work():
    while jobs:
        results.append(jobs.popleft().number)


thread = threading.Thread(target=work)
thread.start()
thread.join()
print(results)
