# modes: default, gil, race
# C code finds the modules a program imported by their names in the interpreter's
# module table (PyImport_GetModule), as an extension module finds its own Python
# package (time-machine's patched clocks look up `time_machine` so): imported by
# `import`, as submodules, by importlib.import_module, by a loader of the program's own
# (as pytest's loads its plugins), and again after a reload.
import ctypes
import importlib
import importlib.abc
import importlib.util
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
lookup = ctypes.pythonapi.PyImport_GetModule
lookup.restype = ctypes.c_void_p        # NULL where the table has no such module
lookup.argtypes = [ctypes.py_object]


def seen_by_c_code(name):
    address = lookup(name)
    if not address:
        return "missing"
    return "same" if address == id(sys.modules[name]) else "another"


class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name == "made_by_a_loader":
            return importlib.util.spec_from_loader(name, self)
        return None

    def exec_module(self, module):
        exec("VALUE = 1", vars(module))


sys.meta_path.insert(0, Finder())
import circular.first
import encoded_module
import made_by_a_loader

importlib.import_module("runnable.helper")
for name in ("circular", "circular.first", "circular.second", "encoded_module", "runnable",
             "runnable.helper", "made_by_a_loader", "not_imported_anywhere"):
    print(name, seen_by_c_code(name))
importlib.reload(encoded_module)
print("encoded_module after reload", seen_by_c_code("encoded_module"))
del sys.modules["runnable.helper"]
importlib.import_module("runnable.helper")
print("runnable.helper imported again", seen_by_c_code("runnable.helper"))
