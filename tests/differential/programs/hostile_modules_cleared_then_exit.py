# A program that empties sys.modules and exits with a message: its atexit functions,
# the message and its objects' finalizers, in CPython's order.
import atexit
import sys


class Resource:
    def __del__(self):
        print("finalized")


resource = Resource()
atexit.register(lambda: print("atexit after the clear"))
sys.modules.clear()
sys.exit("leaving after the clear")
