# modes: default, gil, race
# C code finds the modules a program imported by their names in the interpreter's
# module table (PyImport_GetModule), as an extension module finds its own Python
# package (time-machine's patched clocks look up `time_machine` so): imported by
# `import`, as submodules, by importlib.import_module, by a loader of the program's own
# (as pytest's loads its plugins), and again after a reload; not once the program
# let go of it.
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
let_go = ctypes.pythonapi.Py_DecRef     # (the lookup returns a new reference)
let_go.argtypes = [ctypes.c_void_p]


def seen_by_c_code(name):
    """What C code finds: nothing, or the module's attributes (under gilless, through a
    weak proxy of the module)."""
    address = lookup(name)
    if not address:
        return "missing"
    found = ctypes.cast(address, ctypes.py_object).value
    let_go(address)
    return "found" if found.__dict__ is vars(sys.modules[name]) else "another"


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

# A module the program lets go of is collected (and gone from C code's view), as in
# CPython: what C code is shown holds it weakly.
import gc
import weakref

module = weakref.ref(encoded_module)
del sys.modules["encoded_module"], encoded_module
gc.collect()
print("encoded_module let go of", module() is None, seen_by_c_code("encoded_module"))
