# expect: no race
# Objects that allow no weak reference (dicts, lists, instances of a class with
# `__slots__`), written by the program and then left in reference cycles, are freed
# and finalised by `gc.collect()` as without the detector (which must hold such an
# object while it keeps its history), whichever thread made them.
import gc
import threading
import weakref

finalised = 0


class Node:
    def __init__(self, number):
        self.number = number
        self.table = {"owner": self}
        self.items = [self]

    def __del__(self):
        global finalised
        finalised += 1


class Pair:
    __slots__ = ("other", "value")


nodes = []


def make(count):
    for number in range(count):
        node = Node(number)
        node.table["number"] = number
        node.items.append(number)
        nodes.append(weakref.ref(node))
        first, second = Pair(), Pair()
        first.other, second.other = second, first
        first.value = number


workers = [threading.Thread(target=make, args=(1500,)) for _ in range(2)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
make(1500)
gc.collect()
print("alive", sum(node() is not None for node in nodes), "finalised", finalised)
kept = Node(-1)
gc.collect()
print("kept", kept.table["owner"] is kept, kept.items[0] is kept, finalised)
kept = None
gc.collect()
print("finalised", finalised)
