# expect: no race
# A module the program made and keeps only through a weak proxy in sys.modules (as
# jinja2's ModuleLoader does), in a reference cycle through a dict the program wrote
# to, is collected by `gc.collect()` once the program lets go of it, as without the
# detector: a module taken out of (or never put in) sys.modules can be garbage.
import gc
import sys
import types
import weakref


class Loader:
    def __init__(self, name):
        module = types.ModuleType(name)
        module.registry = {}
        module.registry["loader"] = self
        sys.modules[name] = weakref.proxy(module, lambda _: sys.modules.pop(name, None))
        self.module = module


loader = Loader("made_at_run_time")
print("loaded", "made_at_run_time" in sys.modules)
loader = None
gc.collect()
print("collected", "made_at_run_time" not in sys.modules)
