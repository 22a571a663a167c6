# A program that takes `__main__` out of sys.modules still has its objects finalized
# at exit, while printing works, as in CPython.
import atexit
import sys


class Resource:
    def __del__(self):
        print("finalized, the global still", setting)


setting = "readable"
resource = Resource()
atexit.register(print, "atexit runs")
del sys.modules["__main__"]
print("main removed")
