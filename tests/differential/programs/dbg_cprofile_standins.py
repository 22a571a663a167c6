# modes: default, gil
# cProfile counts the calls of gilless's stand-ins for C functions (`_pickle.dumps`,
# `_signal.getsignal`, `sys.is_finalizing`...) as calls of those C functions, also where
# it is a `sys.monitoring` tool (from 3.12), as in CPython.
import _pickle
import _signal
import cProfile
import gc
import pstats
import sys
import time


def main():
    _pickle.loads(_pickle.dumps([1]))
    _signal.getsignal(2)
    gc.get_freeze_count()
    sys.is_finalizing()
    time.tzset()
    sys.getrecursionlimit()
    sys._getframe()
    try:
        _pickle.loads(b"not a pickle")
    except Exception as error:
        print(type(error).__name__)
    len([])


profiler = cProfile.Profile()
profiler.enable()
main()
profiler.disable()
print(sorted((name, calls) for (filename, line, name), (_, calls, *_) in
             pstats.Stats(profiler).stats.items() if filename == "~"))
