# Producers and consumers over queue.Queue, ended by one sentinel per consumer.
import queue
import threading

tasks = queue.Queue(maxsize=2)
results = queue.Queue()
STOP = object()


def produce(start):
    for value in range(start, start + 3):
        tasks.put(value)


def consume():
    while True:
        item = tasks.get()
        if item is STOP:
            break
        results.put(item * item)


producers = [threading.Thread(target=produce, args=(n * 10,)) for n in range(2)]
consumers = [threading.Thread(target=consume) for _ in range(2)]
for thread in producers + consumers:
    thread.start()
for thread in producers:
    thread.join()
for _ in consumers:
    tasks.put(STOP)
for thread in consumers:
    thread.join()
squares = sorted(results.get() for _ in range(6))
assert squares == sorted(v * v for v in [0, 1, 2, 10, 11, 12]), squares
print(squares)
