# modes: default, gil, race
# A call of `__import__` that the code writes out is a C function's call to a profiler
# (`c_call`, `c_return`, `c_exception` as it raises), to cProfile and to a monitoring
# tool, as in CPython; the `import` statement's and C code's imports (the C pickler
# finding a class) are not. So is a stand-in for a C built-in that raises (`exec` in the
# GIL mode and under `-X race`): `c_exception`, not `c_return`.
import builtins
import cProfile
import pickle
import pstats
import sys
import threading

events = []


def record(frame, event, arg):
    if frame.f_code.co_filename == __file__ and event.startswith("c_"):
        events.append((event, arg.__name__, frame.f_code.co_name, frame.f_lineno))


def work():
    import json
    from os import path
    __import__("json")
    __import__("os.path", fromlist=["join"])
    __import__("email.mime", globals(), None, ("text",), 0)
    try:
        __import__("no_such_module_here")
    except ImportError as error:
        print("ImportError:", error)
    try:
        exec("1 / 0")
    except ZeroDivisionError:
        pass
    # The C pickler imports `fractions` for the class it finds.
    print(pickle.loads(b"cfractions\nFraction\n."))
    print(json.__name__, path.__name__)


def counting_import(name, *args, **kwargs):
    counted.append(name)
    return original_import(name, *args, **kwargs)


sys.setprofile(record)
work()
sys.setprofile(None)
print("profile:")
for event in events:
    print(" ", event)

# A program's own `__import__` calls the original: a C call from its frame.
del events[:]
counted = []
original_import = builtins.__import__
builtins.__import__ = counting_import
sys.setprofile(record)
import calendar
from xml import dom
sys.setprofile(None)
builtins.__import__ = original_import
print("counting:", counted)
for event in events:
    print(" ", event)

del events[:]
threading.setprofile(record)
thread = threading.Thread(target=lambda: __import__("string"))
thread.start()
thread.join()
threading.setprofile(None)
print("thread:", events)

# importlib's _handle_fromlist imports a submodule not yet imported through `__import__`.
del events[:]


def import_calls(frame, event, arg):
    if event.startswith("c_") and arg.__name__ == "__import__":
        events.append((event, frame.f_code.co_name))


sys.setprofile(import_calls)
from json import tool
sys.setprofile(None)
print("fromlist:", events)

profiler = cProfile.Profile()
profiler.enable()
__import__("json")
__import__("textwrap")
import json
profiler.disable()
print("cProfile:", sorted((name, calls) for (filename, line, name), (_, calls, *_) in
                          pstats.Stats(profiler).stats.items() if "__import__" in name))

monitoring = getattr(sys, "monitoring", None)
if monitoring is not None:
    seen = []
    TOOL = 3
    monitoring.use_tool_id(TOOL, "imports")

    def on_call(code, offset, callable, arg0):
        if code.co_filename == __file__:
            seen.append(("CALL", getattr(callable, "__name__", "?"), arg0))

    def on_c_end(kind):
        def end(code, offset, callable, arg0):
            if code.co_filename == __file__:
                seen.append((kind, getattr(callable, "__name__", "?"), arg0))
        return end

    E = monitoring.events
    monitoring.register_callback(TOOL, E.CALL, on_call)
    monitoring.register_callback(TOOL, E.C_RETURN, on_c_end("C_RETURN"))
    monitoring.register_callback(TOOL, E.C_RAISE, on_c_end("C_RAISE"))
    # (As cProfile's, the tool watches Python functions start and end too.)
    for event in (E.PY_START, E.PY_RETURN, E.PY_UNWIND):
        monitoring.register_callback(TOOL, event, lambda *arguments: None)
    monitoring.set_events(TOOL, E.CALL | E.C_RETURN | E.C_RAISE | E.PY_START | E.PY_RETURN
                          | E.PY_UNWIND)
    import base64
    __import__("base64")
    try:
        __import__("no_such_module_either")
    except ImportError:
        pass
    monitoring.set_events(TOOL, 0)
    monitoring.free_tool_id(TOOL)
    print("monitoring:", [event for event in seen if event[1] in ("__import__", "exec")])
