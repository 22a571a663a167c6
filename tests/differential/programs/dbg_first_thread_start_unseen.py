# modes: default, gil, race
# What gilless runs as the program's first thread starts (its modules for threads, the
# guest's `abc` registering the OrderedDict views on a free-threaded host) is seen by
# no profile function and no sys.monitoring tool, as in CPython; the views are
# registered all the same. (Not cProfile: on a free-threaded 3.13 host, a profiler
# that threads share can hang the host.)
import collections
import collections.abc
import sys
import threading

profiled = set()


def profile(frame, event, arg):
    # What the first start could show: the guest's `abc` or `re` run, C functions they
    # call.
    if event == "call" and ("abc" in frame.f_code.co_filename
                            or "/re/" in frame.f_code.co_filename):
        profiled.add(frame.f_code.co_name)
    elif event == "c_call" and arg.__name__ in ("isinstance", "_abc_register",
                                                "_abc_subclasscheck", "compile"):
        profiled.add(arg.__name__)


monitored = set()
if hasattr(sys, "monitoring"):
    def started(code, offset):
        if "abc" in code.co_filename or "/re/" in code.co_filename:
            monitored.add(code.co_name)

    def called(code, offset, function, arg0):
        if getattr(function, "__name__", None) in ("isinstance", "_abc_register",
                                                   "_abc_subclasscheck", "compile"):
            monitored.add(function.__name__)

    monitoring = sys.monitoring
    monitoring.use_tool_id(3, "starts")
    monitoring.register_callback(3, monitoring.events.PY_START, started)
    monitoring.register_callback(3, monitoring.events.CALL, called)
    monitoring.set_events(3, monitoring.events.PY_START | monitoring.events.CALL)

sys.setprofile(profile)
thread = threading.Thread(target=len, args=("",))
thread.start()
thread.join()
sys.setprofile(None)
if hasattr(sys, "monitoring"):
    monitoring.set_events(3, 0)
print(sorted(profiled))
print(sorted(monitored))

ordered = collections.OrderedDict(a=1)
print(isinstance(ordered.keys(), collections.abc.KeysView),
      isinstance(ordered.values(), collections.abc.ValuesView),
      isinstance(ordered.items(), collections.abc.ItemsView))
