# modes: default, gil
# A stack taken inside a generator's body shows the frame that advanced it beneath the
# generator's, as in CPython (on hosts where gilless guards generators against two
# threads advancing one, the guard's frame is not in the chain): f_back, traceback,
# inspect, warnings' stack levels, faulthandler and tracemalloc, for each way of
# advancing a generator, in the main thread and in a thread.
import faulthandler
import inspect
import sys
import threading
import traceback
import tracemalloc
import warnings


def show(where):
    print(where, "extract_stack:", [frame.name for frame in traceback.extract_stack()][:-1])
    print(where, "inspect.stack:", [info.function for info in inspect.stack()][1:])
    names = []
    frame = sys._getframe(1)
    while frame is not None:
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    print(where, "f_back:", names)
    for level in (2, 3):
        warnings.warn(f"{where} at stack level {level}", stacklevel=level)
    sys.stdout.flush()
    faulthandler.dump_traceback(sys.stdout.fileno(), all_threads=False)


def body():
    show("first step")
    received = yield 1
    show(f"sent {received}")
    try:
        yield 2
    except KeyError:
        show("thrown")
        yield 3
    finally:
        show("closed")


def delegating():
    yield from body()


def allocating():
    yield [object() for _ in range(50)]


def advance():
    steps = body()
    next(steps)
    steps.send("a value")
    steps.throw(KeyError)
    steps.close()
    for _ in delegating():
        pass
    print(sum(show("generator expression") or 1 for _ in range(1)))
    tracemalloc.start(10)
    kept = list(allocating())
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, __file__)])
    tracemalloc.stop()
    print("tracemalloc:", [frame.lineno for frame in snapshot.statistics("traceback")[0].traceback])
    return kept


warnings.simplefilter("always")
advance()
thread = threading.Thread(target=advance)
thread.start()
thread.join()
