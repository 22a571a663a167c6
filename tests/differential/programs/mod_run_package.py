# args: a b
# Running a package's __main__.py with runpy, as -m does.
import os
import runpy
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
sys.argv[0] = "runnable"
runpy.run_module("runnable", run_name="__main__", alter_sys=True)
result = runpy.run_path(os.path.join(os.path.dirname(__file__), "pkgdata", "shapes", "base.py"))
print(sorted(k for k in result if not k.startswith("__")), result["__name__"])
