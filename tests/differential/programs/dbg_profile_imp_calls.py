# modes: default, gil
# importlib's calls of `_imp` (C functions in CPython, gilless's own code here) are C
# calls to a profiler: the import lock's acquire and release pair up, and the finders'
# `is_builtin` and `find_frozen` are seen. (Their counts are not compared: the standard
# library's C modules are gilless's built-in modules, docs/conformance.md, and gilless's
# loader calls no `_fix_co_filename`.)
import collections
import sys

counts = collections.Counter()


def record(frame, event, arg):
    if event == "c_call" and getattr(arg, "__module__", None) == "_imp":
        counts[arg.__name__] += 1


sys.setprofile(record)
import colorsys
import json
sys.setprofile(None)
print(counts["acquire_lock"] == counts["release_lock"] > 0,
      sorted(name for name in counts if name in ("is_builtin", "find_frozen")))
