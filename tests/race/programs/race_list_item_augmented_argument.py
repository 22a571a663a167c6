# expect: item 0 of list
# Two threads add to the first slot of a list each got as an argument: `cells[0] += step`
# reads the slot and writes it back, and the other thread's update can be lost.
import threading


def add(cells, step):
    for _ in range(100):
        cells[0] += step


cells = [0, 0]
threads = [threading.Thread(target=add, args=(cells, step)) for step in (1, 2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
