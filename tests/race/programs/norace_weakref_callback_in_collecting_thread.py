# expect: no race
# A weak reference's callback that the cyclic collector runs, in whichever thread
# collects, reads the weak reference its maker wrote: the collection comes after
# everything every thread did before it (CPython collects holding the GIL, a
# free-threaded CPython stops the world), here a `WeakValueDictionary` entry made by a
# thread that nothing else orders with the collecting one. (The collecting thread waits
# for a file the maker creates, which orders nothing for the detector.)
import gc
import os
import tempfile
import threading
import time
import weakref

gc.disable()  # only the collection below collects
registry = weakref.WeakValueDictionary()
made = os.path.join(tempfile.mkdtemp(), "made")


class Node:
    pass


def make():
    node = Node()
    node.me = node  # a cycle: only the collector frees it
    registry["key"] = node  # a KeyedRef whose `key` the maker writes
    del node
    open(made, "w").close()


def collect():
    while not os.path.exists(made):
        time.sleep(0.01)
    gc.collect()  # the entry's callback reads the KeyedRef's `key` here


threads = [threading.Thread(target=make), threading.Thread(target=collect)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("entries left:", len(registry))
os.remove(made)
os.rmdir(os.path.dirname(made))
