# modes: default, gil, race
# Stacks end at the main module as in CPython, in the main thread and in threads: f_back,
# traceback, inspect, logging's stack_info, warnings' stack levels, faulthandler and
# tracemalloc show the program's frames only, exec'd code follows its caller, and a
# module being imported sees importlib's frames where CPython shows them.
import faulthandler
import inspect
import logging
import os
import sys
import threading
import traceback
import tracemalloc
import warnings

print("main f_back:", sys._getframe().f_back)


def names(stack):
    return [f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}:{frame.name}" for frame in stack]


def show(where):
    print(where, "extract_stack:", names(traceback.extract_stack()))
    print(where, "inspect.stack:", [f"{info.lineno}:{info.function}" for info in inspect.stack()])
    depth = 0
    frame = sys._getframe()
    while frame.f_back is not None:
        frame, depth = frame.f_back, depth + 1
    print(where, "f_back depth:", depth, frame.f_code.co_name)


def warn():
    for level in range(1, 6):
        warnings.warn(f"stack level {level}", stacklevel=level)


def calls():
    show("call")
    warn()
    exec("show('exec')")
    eval("show('eval')")


warnings.simplefilter("always")
calls()
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
import stackshow
logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(message)s")
logging.warning("with its stack", stack_info=True)
sys.stdout.flush()
faulthandler.dump_traceback(sys.stdout.fileno(), all_threads=False)

tracemalloc.start(10)


def allocate():
    return [object() for _ in range(100)]


kept = allocate()
snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, __file__)])
print("tracemalloc:", [f"{frame.lineno}" for frame in snapshot.statistics("traceback")[0].traceback])
tracemalloc.stop()


def in_thread():
    show("thread")
    warn()
    sys.stdout.flush()
    faulthandler.dump_traceback(sys.stdout.fileno(), all_threads=False)


thread = threading.Thread(target=in_thread)
thread.start()
thread.join()
