# modes: default, gil
# A `yield from` is seen by a profiler as in CPython, also once the program has imported
# `weakref` (asyncio does): on a free-threaded 3.13 host, the guard of generators keeps
# its delegations in a weak dictionary of the host's `weakref`, not of the guest's.
import asyncio, sys
def gen(n):
    for i in range(n):
        x = yield i
    return "done"
def deleg():
    r = yield from gen(2)
    return r
ev = []
def p(frame, event, arg):
    if event == "call": ev.append(frame.f_code.co_filename.rsplit("/", 1)[-1] + ":" + frame.f_code.co_name)
sys.setprofile(p)
print(list(deleg()))
sys.setprofile(None)
print(ev)
print(sorted(n for n in sys.modules if n == "weakref"))
