# expect: global 'x' of module __main__
# A SimpleQueue's get acquires the put of the item it returns: a write after that put
# races with the reader, though a later put, already in the queue, comes after it.
import queue
import threading

items = queue.SimpleQueue()
x = 0


def produce():
    global x
    items.put(1)
    x = 1
    items.put(2)


thread = threading.Thread(target=produce)
thread.start()
while items.qsize() < 2:
    pass
items.get()
print(x)
thread.join()
