# breakpointhook raising, set to None, deleted: CPython's errors, from the caller's line.
import sys


def hook(*args, **kwargs):
    raise RuntimeError("no debugger")


sys.breakpointhook = hook
try:
    breakpoint()
except RuntimeError as error:
    print("raised:", error, error.__traceback__.tb_next.tb_frame.f_code.co_name)
sys.breakpointhook = None
try:
    breakpoint()
except TypeError as error:
    print("None:", error)
del sys.breakpointhook
breakpoint()
