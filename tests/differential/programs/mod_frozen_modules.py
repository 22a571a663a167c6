# modes: default, gil
# The standard library modules CPython imports frozen are frozen in the guest too:
# found and loaded by importlib's FrozenImporter, their code named "<frozen NAME>",
# and `-X frozen_modules` (sys.flags, _imp) as CPython has it.
import _imp
import importlib.util
import os
import site
import sys
import traceback

for module in (os, os.path, site, importlib.util):
    spec = module.__spec__
    print(module.__name__, spec.name, spec.origin, spec.loader.__name__, spec.has_location,
          module.__file__, getattr(module, "__cached__", None))
print(_imp.is_frozen("os"), _imp.is_frozen("json"), _imp.is_frozen_package("__phello__"))
print(importlib.util.find_spec("stat").origin, importlib.util.find_spec("json").origin)
print(os.walk.__code__.co_filename, os.walk.__code__.co_firstlineno)
print(sorted(name for name in _imp._frozen_module_names() if not name.startswith("_frozen")))

import __hello__
__hello__.main()
import __phello__.spam
print(__phello__.__spec__.submodule_search_locations, __phello__.spam.__spec__.origin)

try:
    os.environ[1]
except TypeError:
    traceback.print_exc(file=sys.stdout)
