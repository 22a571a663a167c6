# modes: default, race
# Pickling by reference: functions and classes that name no module (their
# `__module__` is None or missing) are found by walking sys.modules, and the
# C built-ins that gilless writes in Python (the functions of sys, exec,
# eval, compile, __import__) pickle as CPython's do, with both picklers.
import builtins
import pickle
import sys
import types

PICKLERS = (("C", pickle.dumps), ("Python", pickle._dumps))
LOADERS = (pickle.loads, pickle._loads)


def round_trips(value):
    for name, dumps in PICKLERS:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            data = dumps(value, protocol)
            yield name, protocol, data, [load(data) is value for load in LOADERS]


for function in (sys.getrecursionlimit, sys.settrace, sys.setprofile, sys.gettrace,
                 sys.getprofile, sys._getframe, sys.displayhook, sys.excepthook,
                 sys.breakpointhook, sys.unraisablehook, sys.exit, builtins.exec,
                 builtins.eval, builtins.compile, builtins.__import__, builtins.print):
    for name, protocol, data, same in round_trips(function):
        print(function.__name__, name, protocol, data, same)

# A function made by exec without __name__ in its globals has no module.
namespace = {}
exec("def made():\n    return 42\n", namespace)
made = namespace["made"]
print(made.__module__)
holder = types.ModuleType("holder")
holder.made = made
sys.modules["holder"] = holder
for name, protocol, data, same in round_trips(made):
    print("made", name, protocol, data, same)

# The same, held by a module the interpreter itself imported first.
import collections
collections.made_here = made
made.__qualname__ = "made_here"
del sys.modules["holder"]
for name, protocol, data, same in round_trips(made):
    print("made_here", name, protocol, b"collections" in data, same)


# A class whose __module__ is None, held by a package's submodule.
class Orphan:
    pass


Orphan.__module__ = None
Orphan.__qualname__ = "Orphan"
package = types.ModuleType("package")
package.__path__ = []
package.sub = types.ModuleType("package.sub")
package.sub.Orphan = Orphan
sys.modules["package"], sys.modules["package.sub"] = package, package.sub
for name, protocol, data, same in round_trips(Orphan):
    print("Orphan", name, protocol, data, same)

# Held nowhere: the pickler's error, naming __main__.
made.__qualname__ = "nowhere"
for name, dumps in PICKLERS:
    try:
        dumps(made)
    except pickle.PicklingError as error:
        print(name, type(error).__name__, str(error).replace(hex(id(made)), "ADDRESS"))
