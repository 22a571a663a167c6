# modes: default, gil
# The guest's `sys` functions that are Python code (`getrecursionlimit`, `_getframe`,
# `displayhook`...) are C functions to a profiler and to cProfile, as in CPython; one
# that raises is a `c_exception`.
import sys, cProfile, pstats
ev = []
def p(f, e, a):
    if e.startswith("c_") and f.f_code.co_filename == __file__: ev.append((e, a.__name__))
class C:
    limit = staticmethod(sys.getrecursionlimit)
def work():
    sys.getrecursionlimit(); sys._getframe(); sys._getframe(0)
    try: sys._getframe(10**6)
    except ValueError: pass
    sys.excepthook; sys.displayhook(None)
    C.limit()
sys.setprofile(p); work(); sys.setprofile(None)
print(ev)
pr = cProfile.Profile(); pr.enable(); work(); pr.disable()
print(sorted((n, c) for (f, l, n), (_, c, *r) in pstats.Stats(pr).stats.items() if f == "~"))
