# expect: no race
# A dict that only the detector still holds (it allows no weak reference, so the
# detector keeps it until a sweep) is let go before a fork, with what it refers to: a
# fork hook that counts a registry of weak references finds what it would without the
# detector. loguru publishes its handlers as copies of a dict, and its fork hook takes
# the lock of each handler its registry holds: with the dropped ones too, more locks in
# another order from fork to fork, reported as a lock-order inversion.
import os
import threading
import warnings
import weakref


class Handler:
    def __init__(self):
        self.lock = threading.Lock()


class Core:
    def __init__(self):
        self.handlers = {}


registry = weakref.WeakSet()
core = Core()
stop = threading.Event()
waiter = threading.Thread(target=stop.wait)
waiter.start()
os.register_at_fork(before=lambda: print("handlers at fork:", len(registry), flush=True))
for number in range(20):
    handler = Handler()
    registry.add(handler)
    handlers = core.handlers.copy()
    handlers.clear()  # the handler before is removed,
    handlers[number] = handler  # this one added,
    core.handlers = handlers  # and the copy published
    del handler, handlers
with warnings.catch_warnings(record=True) as caught:
    # (3.12's warning that the process has threads names the program's line.)
    warnings.simplefilter("always")
    pid = os.fork()
if pid == 0:
    os._exit(0)
print([(w.category.__name__, os.path.basename(w.filename), w.lineno) for w in caught])
print("child:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
stop.set()
waiter.join()
