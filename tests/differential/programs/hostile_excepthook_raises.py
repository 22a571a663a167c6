# A raising excepthook: both errors are shown, as CPython's "Error in sys.excepthook".
import sys


def hook(kind, value, tb):
    raise RuntimeError("hook failed")


sys.excepthook = hook
raise ValueError("original")
