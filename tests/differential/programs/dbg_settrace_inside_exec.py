# modes: default, gil, race
# A tracer or profiler installed by code that exec runs (where exec is gilless's: the GIL
# mode, the tools, 3.13t) traces what runs after exec returns, as in CPython.
import sys


def tracer(frame, event, arg):
    print("trace", event, frame.f_code.co_name, frame.f_lineno)
    return tracer


def profiler(frame, event, arg):
    if event in ("call", "return"):
        print("profile", event, frame.f_code.co_name)


def leaf():
    return 1


def traced():
    exec("sys.settrace(tracer)")
    leaf()
    return 2


def profiled():
    exec("sys.setprofile(profiler)")
    leaf()
    return 3


traced()
leaf()
sys.settrace(None)
profiled()
leaf()
sys.setprofile(None)
