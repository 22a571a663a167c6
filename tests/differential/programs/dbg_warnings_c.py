# modes: default, gil, race
# The warnings module runs on CPython's C accelerator: its functions are built-ins sharing
# the filters with C code's warnings; a fresh copy of the module imported and the original
# put back (as test suites do) leaves C code reading the original's filters; faulthandler
# with no sys.stderr says so; a warning from a __del__ run at exit names its own line.
import _warnings
import faulthandler
import sys
import types
import warnings

# (Under -X race and the explorer, `warn` is gilless's, shown as the built-in:
# docs/invisible.md.)
print(type(warnings.warn_explicit).__name__,
      isinstance(warnings.warn, types.BuiltinFunctionType),
      hasattr(warnings.warn, "__code__"), warnings.filters is _warnings.filters)
original = sys.modules.pop("warnings")
import warnings as fresh
sys.modules["warnings"] = original
print("fresh copy:", fresh is original, fresh.filters is original.filters)
with original.catch_warnings(record=True) as caught:
    original.simplefilter("always")
    fresh.warn("through the copy's warn")
    compile("x is 1", "<source>", "exec")
    fresh.warn_explicit("explicit", UserWarning, "somewhere.py", 3)
print([(w.category.__name__, str(w.message), w.filename) for w in caught])

saved = sys.stderr
for name in ("enable", "dump_traceback", "dump_traceback_later"):
    sys.stderr = None
    try:
        getattr(faulthandler, name)(*([60] if name.endswith("later") else []))
    except RuntimeError as error:
        print(name, "with None:", error)
    del sys.stderr
    try:
        getattr(faulthandler, name)(*([60] if name.endswith("later") else []))
    except RuntimeError as error:
        print(name, "deleted:", error)
    sys.stderr = saved
faulthandler.cancel_dump_traceback_later()
faulthandler.enable()
print("enabled:", faulthandler.is_enabled())
faulthandler.disable()


class Finalized:
    def __del__(self):
        print("finalized, f_back:", sys._getframe().f_back)
        warnings.warn("from __del__ at exit")


warnings.simplefilter("always")
kept = Finalized()
