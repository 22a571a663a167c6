# modes: default, gil
# A program may set a recursion limit that leaves its code a few levels and leave it
# there: its output is flushed and the process exits as in CPython (gilless's own
# frames that go on after it, the exit's, need levels of their own).
import atexit
import sys


def at_exit():
    print("at exit", sys.getrecursionlimit())


atexit.register(at_exit)


print("before", sys.getrecursionlimit())
sys.setrecursionlimit(5)
