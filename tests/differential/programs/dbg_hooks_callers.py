# modes: default, gil, race
# `sys.displayhook`, `sys.unraisablehook` and `sys.breakpointhook` are called from the
# frame where the host calls them in CPython: the expression statement's, the frame
# whose object's finalizer failed, `breakpoint()`'s caller.
import inspect
import sys


def show(tag):
    caller = sys._getframe(1).f_back
    print(tag, "called from", caller.f_code.co_name,
          [frame.function for frame in inspect.stack()[2:4]])


sys.displayhook = lambda value: show("displayhook")
exec(compile("1 + 1", "<interactive>", "single"))

sys.unraisablehook = lambda unraisable: show("unraisablehook")


class Failing:
    def __del__(self):
        raise ValueError("in __del__")


def drop():
    Failing()


drop()

sys.breakpointhook = lambda *args, **kwargs: show("breakpointhook")


def stop():
    breakpoint()


stop()
