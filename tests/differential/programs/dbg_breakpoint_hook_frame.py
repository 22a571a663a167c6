# modes: default, gil, race
# A debugger named by PYTHONBREAKPOINT (ipdb's, pudb's set_trace) debugs the frame that
# called breakpoint(): its f_back, as CPython's C code calls it.
import os
import sys


def hook(*args, **kwargs):
    caller = sys._getframe().f_back
    print("hook's caller:", caller.f_code.co_name, caller.f_lineno, args, kwargs)
    print("caller's locals:", sorted(caller.f_locals))
    return "from the hook"


def work(k):
    value = k * 2
    print(breakpoint(1, key="v"))
    print(sys.breakpointhook())
    return value


os.environ["PYTHONBREAKPOINT"] = "__main__.hook"
work(3)
os.environ["PYTHONBREAKPOINT"] = "no_such_module.hook"
work(4)
