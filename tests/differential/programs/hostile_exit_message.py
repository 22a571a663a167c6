# sys.exit with a message whose str() fails, then one to a broken stderr: the newline
# still reaches the process's error stream, as CPython's PySys_WriteStderr sends it.
import atexit
import sys


class Code:
    def __str__(self):
        raise ValueError("no str")


atexit.register(print, "exit functions ran")
sys.stderr = object()
sys.exit(Code())
