# modes: default, gil, race
# How deep a function recurses before RecursionError, as CPython counts it: in the main
# program, in code exec and eval run, in threads (whose stacks start shallower), and
# the depth sys.setrecursionlimit reports when the new limit is too low.
import sys
import threading


def depth(n=0):
    try:
        return depth(n + 1)
    except RecursionError:
        return n


def too_low():
    try:
        sys.setrecursionlimit(1)
    except RecursionError as error:
        return str(error)


def in_thread(function):
    results = []
    thread = threading.Thread(target=lambda: results.append(function()))
    thread.start()
    thread.join()
    return results[0]


print("main", depth(), too_low())
print("exec", eval("depth()"))
namespace = {"depth": depth}
exec("result = depth()", namespace)
print("eval", namespace["result"])
print("thread", in_thread(depth), in_thread(too_low))
print("exec in thread", in_thread(lambda: eval("depth()")))
sys.setrecursionlimit(400)
print("lower limit", depth(), in_thread(depth))
