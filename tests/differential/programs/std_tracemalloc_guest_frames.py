# tracemalloc's snapshots show the program's frames and the standard library's, never
# gilless's (its compile cache loading a module's code, its stand-ins for C
# functions): with more frames recorded, an import's allocations are importlib's, as
# in CPython.
import os
import sysconfig
import tracemalloc

tracemalloc.start(25)
import json
import fractions
data = [str(number) for number in range(100)]
code = compile("value = [1, 2, 3]", "<text>", "exec")
namespace = {}
exec(code, namespace)
snapshot = tracemalloc.take_snapshot()
tracemalloc.stop()
files = {statistic.traceback[0].filename for statistic in snapshot.statistics("filename")}
standard_library = os.path.realpath(sysconfig.get_paths()["stdlib"]) + os.sep
print(sorted(name for name in files if not name.startswith("<") and name != __file__
             and not os.path.realpath(name).startswith(standard_library)))
print("importlib's:", any(name.startswith("<frozen importlib") for name in files))
print("program's:", __file__ in files)
