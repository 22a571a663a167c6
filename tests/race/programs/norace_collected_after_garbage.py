# expect: no race
# A dict the program wrote to, referred to only by garbage that `gc.collect()` frees,
# and referring to more (here a class made at run time, in a cycle of its own): one
# `gc.collect()` frees it all, as without the detector (which holds such a dict until
# nothing else refers to it, so it collects again once the garbage is gone).
import gc
import weakref


class Builder:
    def __init__(self, made):
        self.me = self  # a cycle of its own, which no held object is part of
        self.table = {}
        self.table["made"] = made


made = type("Made", (), {})
made_ref = weakref.ref(made)
Builder(made)
made = None
gc.collect()
print("class collected", made_ref() is None)
