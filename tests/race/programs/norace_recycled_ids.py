# expect: no race
# Many short-lived objects made and dropped in different threads: the host reuses their
# addresses (so their id()s), and an object at a reused address is a new location.
# Plain instances, instances without __weakref__ (__slots__), dicts, lists and sets.
import threading


class Point:
    def __init__(self, x):
        self.x = x


class Slotted:
    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x


def churn(seed):
    total = 0
    for step in range(20000):
        point = Point(step)
        point.x += seed
        slotted = Slotted(step)
        slotted.x += seed
        box = {"x": step}
        box["x"] += seed
        cells = [step]
        cells[0] += seed
        members = {step}
        members.add(seed)
        total += point.x + slotted.x + box["x"] + cells[0] + len(members)
    return total


results = [None, None]


def work(index):
    results[index] = churn(index)


threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(results)
