# modes: default, gil, race
# The import system's own modules, frozen in CPython, look frozen: their specs, loaders
# and reprs, before and after `importlib` renames them.
import sys


def show(name):
    module = sys.modules[name]
    spec = module.__spec__
    print(name, repr(module), module.__loader__, module.__package__)
    print("  ", spec.name, spec.origin, spec.has_location, spec.parent,
          spec.submodule_search_locations, spec.loader_state.origname,
          spec.loader_state.filename == getattr(module, "__file__", None))


for name in ("_frozen_importlib", "_frozen_importlib_external"):
    show(name)
import importlib._bootstrap_external
print(repr(importlib._bootstrap), repr(importlib._bootstrap_external))
print(importlib._bootstrap is sys.modules["_frozen_importlib"])
