# expect: no race
# Objects made at the same place in the same epoch begin with the same records (one
# table, which they share until one of them is accessed again): another thread's
# writes to one of them, ordered after its making, change that object's records only,
# so the main thread's later writes to the other race with nothing.
import threading
import time


class Box:
    def __init__(self, value):
        self.value = value
        self.twice = value * 2
        self.label = str(value)


def make(value):
    return Box(value)


first = make(1)
second = make(2)


def change():
    first.value = 3
    first.twice += 1
    first.label = "three"


thread = threading.Thread(target=change)
thread.start()
time.sleep(0.2)
second.value = 4
second.twice += 1
second.label = "four"
thread.join()
print(first.value, first.twice, first.label, second.value, second.twice, second.label)
