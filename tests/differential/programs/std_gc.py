# The collector as the program sees it: nothing frozen at start (gilless's own objects
# are frozen, and not counted), freezing and thawing the program's objects, and
# cycles collected on request and at exit.
import gc


class Cycle:
    def __init__(self, name):
        self.name = name
        self.me = self

    def __del__(self):
        print("finalized", self.name)


print("frozen at start:", gc.get_freeze_count())
kept = [object()]
gc.freeze()
print("frozen by the program:", gc.get_freeze_count() > 0)
gc.unfreeze()
print("after unfreeze:", gc.get_freeze_count())
Cycle("dropped")
print("collected:", gc.collect() > 0)
print("tracked:", gc.is_tracked(kept), any(item is kept for item in gc.get_objects()))


def leave_garbage():
    Cycle("at exit")


leave_garbage()
