# expect: item 3 of list
# Two threads update one slot of a list, one through a negative index: slot -2 of a
# list of five is slot 3.
import threading

slots = [0] * 5


def first():
    for _ in range(100):
        slots[3] += 1


def second():
    for _ in range(100):
        slots[-2] += 1


threads = [threading.Thread(target=first), threading.Thread(target=second)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
