# first: queue put slow_consumer.py:9
# Two fast producers and one slow consumer behind a bounded queue.
import queue
import threading

ITEMS = 400
DONE = object()

jobs = queue.Queue(maxsize=4)


def produce():
    for i in range(ITEMS):
        jobs.put(i)


def consume(out):
    finished = 0
    while finished < 2:
        item = jobs.get()
        if item is DONE:
            finished += 1
            continue
        total = 0
        for i in range(4_000):
            total += i * item
        out.append(total)


out = []
consumer = threading.Thread(target=consume, args=(out,))
producers = [threading.Thread(target=produce) for _ in range(2)]
consumer.start()
for thread in producers:
    thread.start()
for thread in producers:
    thread.join()
for _ in producers:
    jobs.put(DONE)
consumer.join()
print(len(out))
