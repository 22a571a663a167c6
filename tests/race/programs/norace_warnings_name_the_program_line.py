# expect: no race
# A warning given with a `stacklevel` from code that an access runs (a property's
# getter, a module's `__getattr__`, as libraries deprecate names) names the program's
# line that made the access, as without the detector: the event function that made it
# is no level (it named gilless's file).
import sys
import types
import warnings

warnings.simplefilter("always")
legacy = types.ModuleType("legacy")


def _legacy_getattr(name):
    if name == "old_name":
        warnings.warn("old_name is deprecated", DeprecationWarning, stacklevel=2)
        return 1
    raise AttributeError(name)


legacy.__getattr__ = _legacy_getattr


class Settings:
    @property
    def colour(self):
        warnings.warn("colour is deprecated", DeprecationWarning, stacklevel=2)
        return "red"

    @property
    def shade(self):
        deprecated("shade")
        return "dark"


def deprecated(name):
    warnings.warn(f"{name} is deprecated", FutureWarning, stacklevel=3)


def make():
    return Settings()


print(legacy.old_name, make().colour, make().shade)


def use():
    return legacy.old_name, make().colour, make().shade


print(use())
if sys.version_info >= (3, 12):
    # A library's frames skipped by name (3.12's `skip_file_prefixes`).
    library = {"warnings": warnings}
    exec(compile("def deprecate(name, prefixes=('<library>/',)):\n"
                 "    warnings.warn(f'{name} is deprecated', DeprecationWarning,\n"
                 "                  stacklevel=2, skip_file_prefixes=prefixes)\n"
                 "def size(self):\n"
                 "    deprecate('size')\n",
                 "<library>/deprecation.py", "exec"), library)
    Settings.size = property(library["size"])
    print(make().size)
    try:
        library["deprecate"]("size", ["<library>/"])
    except TypeError as error:
        print(error)
warnings.warn("beyond the bottom of the stack", UserWarning, stacklevel=4)
warnings.simplefilter("error")
try:
    use()
except DeprecationWarning:
    sys.excepthook(*sys.exc_info())
