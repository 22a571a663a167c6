# A raising excepthook with sys.stderr None: CPython's own lines go to the process's
# error stream, the exceptions are not displayed.
import sys


def hook(kind, value, tb):
    raise RuntimeError("hook failed")


sys.excepthook = hook
sys.stderr = None
raise ValueError("original")
