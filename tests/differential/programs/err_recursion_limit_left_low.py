# modes: default, gil
# A program may set the recursion limit as low as its own depth allows and leave it
# there: its output is flushed and the process exits as in CPython (gilless's own
# frames that go on after it, the exit's, need levels of their own), and
# sys.setrecursionlimit accepts the limits CPython accepts at a shallow depth.
import atexit
import sys


def at_exit():
    print("at exit", sys.getrecursionlimit())


atexit.register(at_exit)


def set_at_depth_two(limit):
    try:
        sys.setrecursionlimit(limit)
        return "set"
    except RecursionError as error:
        return str(error)


print([set_at_depth_two(limit) for limit in (1, 2, 3)])
sys.setrecursionlimit(1000)
print("before", sys.getrecursionlimit())
sys.setrecursionlimit(12)
