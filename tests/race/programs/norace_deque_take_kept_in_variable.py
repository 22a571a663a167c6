# expect: no race
# A deque's take kept in a variable and called later (`popleft = jobs.popleft`, as
# multiprocessing's queue feeder thread does) orders what the putting thread did before
# each put, as a call of `jobs.popleft()` does: here a consumer thread's own loop, and
# the feeder thread that pickles each object put on a `multiprocessing.Queue`
# (`__reduce__` reads what the main thread wrote).
import collections
import multiprocessing
import threading

COUNT = 200


class Job:
    def __init__(self, number):
        self.number = number

    def __reduce__(self):
        return (Job, (self.number,))


jobs = collections.deque()
taken = []


def consume():
    popleft = jobs.popleft
    while len(taken) < COUNT:
        try:
            job = popleft()
        except IndexError:
            continue
        taken.append(job.number)


consumer = threading.Thread(target=consume)
consumer.start()
for number in range(COUNT):
    jobs.append(Job(number))
consumer.join()
print("taken from the deque:", len(taken))

queue = multiprocessing.Queue()
received = []
getter = threading.Thread(target=lambda: received.extend(queue.get().number
                                                         for _ in range(COUNT)))
getter.start()
for number in range(COUNT):
    queue.put(Job(number))
getter.join()
print("through the queue:", sum(received) == sum(range(COUNT)))
