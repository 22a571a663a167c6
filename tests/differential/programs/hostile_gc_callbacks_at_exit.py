# gc.callbacks are called for CPython's one collection at exit, before the modules are
# finalized, and not for the collections of the finalization itself.
import gc
import sys


def callback(phase, info):
    print("gc", phase, info["generation"], file=sys.stderr)


gc.callbacks.append(callback)
print("end")
