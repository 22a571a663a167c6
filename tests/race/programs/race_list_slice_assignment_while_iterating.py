# expect: contents of list
# One thread replaces a list's contents through a slice assignment while another
# iterates over it: the replacement writes the list's contents.
import threading

items = list(range(10))


def reader():
    total = 0
    for value in items:
        total += value


def writer():
    items[:] = [value * 2 for value in range(20)]


threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
