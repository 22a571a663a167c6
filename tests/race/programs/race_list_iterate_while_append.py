# expect: contents of list
# One thread iterates over a list while another appends to it: the iteration reads
# the list's contents, which every append changes.
import threading

items = list(range(10))


def reader():
    total = 0
    for value in items:
        total += value


def writer():
    for value in range(10):
        items.append(value)


threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
