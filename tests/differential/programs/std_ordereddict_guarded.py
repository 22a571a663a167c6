# modes: default, gil
# `OrderedDict`, which gilless locks once threads run on hosts where threads changing
# one crash (free-threaded 3.13), looks and behaves as CPython's there: its views and
# iterators, their types, operations and errors, pickling, subclasses, what a profiler
# and `profile` see of its calls, and the frames of the program's code it runs (a key's
# `__hash__`). (Not the race mode, whose shadow memory calls a key's `__hash__` itself:
# docs/races.md. Threads sharing one: tests/concurrency.)
import cProfile
import collections.abc
import copy
import inspect
import pickle
import pprint
import profile
import pstats
import sys
import threading
import traceback
from collections import OrderedDict

# From the first thread started on, the object's methods take its lock; what makes them
# then is not seen by a profiler (no code of `abc`'s, which registers its views).
files = set()
sys.setprofile(lambda frame, event, arg: files.add(frame.f_code.co_filename))
thread = threading.Thread(target=lambda: None)
thread.start()
sys.setprofile(None)
thread.join()
print([name for name in files if "abc" in name])

od = OrderedDict([("a", 1), ("b", 2), ("c", 3)])
print(od, od.keys(), od.values(), od.items())
print(type(od), type(iter(od)), type(od.keys()), type(od.values()), type(od.items()),
      type(reversed(od)), type(iter(od.items())), OrderedDict.__module__)
od.move_to_end("a")
od["d"] = 4
del od["b"]
print(list(od), list(reversed(od)), list(od.items()), list(reversed(od.values())),
      list(reversed(od.items())))
print(od.pop("c"), od.popitem(), od.popitem(last=False), od)
od.update(x=1, y=2)
print(od.setdefault("z", 3), od, od.copy(), od == OrderedDict(x=1, y=2, z=3),
      od == OrderedDict(y=2, x=1, z=3), od != {"x": 1}, od == {"z": 3, "y": 2, "x": 1})
print(sorted(od.keys() & {"x", "q"}), sorted({"y"} | od.keys()), sorted(od.keys() - {"x"}),
      sorted(od.keys() ^ {"x", "w"}), od.items() & {("x", 1)}, od.keys() <= {"x", "y", "z"})
print(od.keys() == OrderedDict(x=0, y=0, z=0).keys(), od.keys() == {"x", "y", "z"},
      od.items() == OrderedDict(x=1, y=2, z=3).items(), od.keys().isdisjoint({"q"}),
      "x" in od.keys(), ("x", 1) in od.items(), 1 in od.values(), len(od.values()))
print(od.keys().mapping, od.keys().mapping["x"])
print(pickle.loads(pickle.dumps(od)), copy.deepcopy(od), copy.copy(od))
print(isinstance(od.keys(), collections.abc.KeysView),
      isinstance(od.values(), collections.abc.ValuesView),
      isinstance(od.items(), collections.abc.ItemsView),
      isinstance(od, collections.abc.MutableMapping))
print(list(pickle.loads(pickle.dumps(iter(od)))), isinstance(hash(od.values()), int))
print(inspect.signature(od.move_to_end), inspect.signature(od.popitem),
      od.move_to_end.__name__, od.move_to_end.__doc__)
pprint.pprint(OrderedDict((f"key {n}", "value " * 3) for n in range(5)))


def show_errors(*calls):
    for call in calls:
        try:
            print(call())
        except Exception:
            traceback.print_exc(file=sys.stdout)


show_errors(lambda: od.pop(), lambda: od.move_to_end("nope"), lambda: OrderedDict().popitem(),
            lambda: OrderedDict.pop({}, 1), lambda: hash(od.keys()), lambda: type(od.keys())(),
            lambda: type(iter(od))(), lambda: od.keys() < 3)
iterator = iter(od)
next(iterator)
od["new"] = 1
show_errors(lambda: next(iterator))
del od["new"]


class Recorded(OrderedDict):
    def __setitem__(self, key, value):
        super().__setitem__(key, value * 2)


recorded = Recorded(a=1)
recorded["b"] = 2
print(recorded, recorded.copy(), Recorded.fromkeys("ab", 1), od | {"q": 9}, type(od | {}))


class Key:
    """A key whose `__hash__` is the program's: while a tracer or profiler is on, its
    frame follows the frame that used the key, as in CPython (with none on, gilless's
    frame that locks the `OrderedDict` is its `f_back`: docs/invisible.md)."""

    def __init__(self, name):
        self.name = name

    def __hash__(self):
        if self.name == "bad":
            raise ValueError("no hash for you")
        if self.name == "inspecting":
            # (The stack can be read: gilless's frame there has line numbers.)
            print("stack read in __hash__:", inspect.stack()[0].function)
        return hash(self.name)

    def __eq__(self, other):
        return isinstance(other, Key) and self.name == other.name

    def __repr__(self):
        return f"Key({self.name!r})"


def store(mapping, key):
    mapping[key] = 1


def walk(mapping):
    return list(mapping)


keyed = OrderedDict()
store(keyed, Key("k"))
walk(keyed)
keyed.move_to_end(Key("k"))
store(keyed, Key("inspecting"))
show_errors(lambda: store(keyed, Key("bad")), lambda: keyed.pop(Key("bad")))

events = []


def profiler(frame, event, arg):
    if event.startswith("c_") and getattr(arg, "__self__", None) is od:
        events.append((event, arg.__name__))
    elif event in ("call", "return") and frame.f_code.co_name == "__hash__":
        events.append((event, frame.f_code.co_name, frame.f_back.f_code.co_name))


sys.setprofile(profiler)
od.keys()
od.move_to_end("x")
od.pop("x")
od["x"] = 1
list(od.items())
od.setdefault("y")
store(keyed, Key("k"))
walk(keyed)
sys.setprofile(None)
print(events)

if hasattr(sys, "monitoring"):
    # A monitoring tool sees the key's `__hash__` start above the frame that used it.
    TOOL = sys.monitoring.PROFILER_ID
    started = []

    def on_start(code, offset):
        if code.co_name == "__hash__":
            started.append(sys._getframe(1).f_back.f_code.co_name)

    sys.monitoring.use_tool_id(TOOL, "checker")
    sys.monitoring.register_callback(TOOL, sys.monitoring.events.PY_START, on_start)
    sys.monitoring.set_events(TOOL, sys.monitoring.events.PY_START)
    store(keyed, Key("m"))
    walk(keyed)
    sys.monitoring.set_events(TOOL, 0)
    sys.monitoring.free_tool_id(TOOL)
    print("monitored:", started)

profiler_run = profile.Profile()
profiler_run.runcall(lambda: (walk(keyed), store(keyed, Key("j"))))
profiler_run.create_stats()
print(sorted(name for (_, _, name), _ in profiler_run.stats.items()
             if not name.startswith("<")))

# cProfile names its methods as CPython's does (by what the C type has under the name).
c_profiler = cProfile.Profile()
c_profiler.runcall(lambda: (od.copy(), od.move_to_end("y"), od.pop("zz", None)))
print(sorted(pstats.func_std_string(function) for function in
             pstats.Stats(c_profiler).stats if function[0] == "~"))
