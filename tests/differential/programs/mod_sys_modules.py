# sys.modules, sys.path, __import__, importlib.import_module, reload, custom meta_path finders.
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types

print("json" in sys.modules, isinstance(sys.path, list), sys.path[0] == os.path.dirname(os.path.abspath(__file__)))
fake = types.ModuleType("fake_module")
fake.answer = 42
sys.modules["fake_module"] = fake
import fake_module
print(fake_module.answer, __import__("fake_module") is fake)
json = importlib.import_module("json")
print(json.dumps([1]), importlib.import_module(".decoder", "json").__name__)
print(__import__("os.path").__name__, __import__("os.path", fromlist=["join"]).__name__)


class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname.startswith("virtual_"):
            return importlib.machinery.ModuleSpec(fullname, Loader(), origin="virtual")
        return None


class Loader(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.generated = module.__name__[len("virtual_"):]
        exec("def hello():\n    return 'hello from ' + __name__\n", module.__dict__)


sys.meta_path.insert(0, Finder())
import virtual_alpha
from virtual_beta import generated, hello
print(virtual_alpha.generated, generated, hello(), virtual_alpha.__spec__.origin)
print(type(virtual_alpha.__loader__).__name__)
try:
    import not_a_real_module_anywhere
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e, e.name)
try:
    from json import not_there
except ImportError as e:
    print("ImportError:", e, e.name)
try:
    importlib.import_module(".x")
except TypeError as e:
    print("TypeError:", e)
import tempfile
directory = tempfile.mkdtemp()
path = os.path.join(directory, "reloadable.py")
with open(path, "w") as f:
    f.write("value = 1\n")
sys.path.insert(0, directory)
import reloadable
print(reloadable.value, reloadable.__file__ == path)
with open(path, "w") as f:
    f.write("value = 2\nextra = 'added'\n")
importlib.invalidate_caches()
reloaded = importlib.reload(reloadable)
print(reloaded is reloadable, reloadable.value, reloadable.extra)
spec = importlib.util.spec_from_file_location("by_path", path)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
print(mod.value, mod.__name__, "by_path" in sys.modules)
print(importlib.util.find_spec("json").name, importlib.util.find_spec("nope_nope"))
del sys.modules["reloadable"]
import reloadable as again
print(again is not reloadable, again.value)
import shutil
shutil.rmtree(directory)
print(sys.modules["__main__"].__name__, __spec__, __package__, __loader__.__class__.__name__)
print(type(sys.modules).__name__, sys.builtin_module_names.__class__.__name__, "sys" in sys.builtin_module_names)
