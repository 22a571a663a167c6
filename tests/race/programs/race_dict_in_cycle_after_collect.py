# expect: item 'count' of dict
# A dict in a reference cycle that the program still refers to keeps its history
# through `gc.collect()` (which frees the cycles that only the detector holds): the
# write after the collection races with the one before it.
import gc
import threading
import time


class Owner:
    def __init__(self):
        self.counts = {"owner": self}


shared = Owner()


def first():
    shared.counts["count"] = 1


worker = threading.Thread(target=first)
worker.start()
time.sleep(0.5)  # no happens-before edge: only makes the late write the likely order
gc.collect()
shared.counts["count"] = 2
worker.join()
print("done")
