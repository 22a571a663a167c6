# expect: no race
# An object's finalizer runs once nothing else refers to it, in whichever thread let
# go of it last: what it reads of its object was written before, whatever thread wrote
# it (here a thread that handed the object over with no synchronisation at all).
import threading
import time

box = []


class Resource:
    def __del__(self):
        print("finalised", self.value)


def make():
    resource = Resource()
    resource.value = 1
    box.append(resource)


def drop():
    while not box:
        time.sleep(0.01)
    box.pop()


dropper = threading.Thread(target=drop)
dropper.start()
maker = threading.Thread(target=make)
maker.start()
maker.join()
dropper.join()
print("done")
