# expect: no race
# A weak proxy whose object is gone, in the heap the detector searches for cycles as
# `gc.collect()` frees the object (after `traceback.extract_stack()` the search reaches
# the proxy), and given to a set's `update` (whose members the detector reads): the
# detector never asks the proxy for its class, which a dead proxy answers with
# ReferenceError; the program runs as without the detector.
import gc
import traceback
import weakref

traceback.extract_stack()


class Target:
    pass


target = Target()
called = []
proxy = weakref.proxy(target, lambda ref: called.append("proxy callback"))
finalizer = weakref.finalize(target, called.append, "finalized")
del target
gc.collect()
print(called, finalizer.alive)
try:
    set().update(proxy)
except (ReferenceError, TypeError) as error:
    print(type(error).__name__, error)
