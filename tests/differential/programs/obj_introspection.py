# modes: default, race
# repr/str/format/hash/dir/vars, isinstance with __instancecheck__, weakrefs, inspect, sys._getframe.
import gc
import inspect
import sys
import weakref


class Meta(type):
    def __instancecheck__(cls, obj):
        return hasattr(obj, "quack")

    def __subclasscheck__(cls, sub):
        return hasattr(sub, "quack")


class Duck(metaclass=Meta):
    pass


class Mallard:
    quack = True


print(isinstance(Mallard(), Duck), isinstance(3, Duck), issubclass(Mallard, Duck), issubclass(int, Duck))


class Thing:
    """A thing."""
    cls_attr = 1

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Thing({self.name!r})"

    def __str__(self):
        return f"thing {self.name}"

    def __format__(self, spec):
        return f"[{spec}:{self.name}]"

    def __hash__(self):
        return 12345

    def __dir__(self):
        return ["b", "a", "name"]

    def method(self, a, b=2, *args, c, d=4, **kwargs) -> int:
        return 0


t = Thing("x")
print(repr(t), str(t), format(t, "spec"), f"{t!r} {t!s} {t:z}", hash(t), dir(t), vars(t))
print(Thing.__doc__, Thing.__name__, Thing.__module__, sorted(k for k in vars(Thing) if not k.startswith("__")))
print(str(inspect.signature(Thing.method)), str(inspect.signature(t.method)))
print(inspect.signature(lambda x, /, y=1: 0), inspect.getdoc(Thing), inspect.isclass(Thing))
print(inspect.isfunction(Thing.method), inspect.ismethod(t.method), inspect.isgeneratorfunction(Thing.method))
print(inspect.getmembers(t, lambda v: isinstance(v, str)))
src = inspect.getsource(Mallard)
print(src)
print(inspect.getmodule(Thing).__name__, inspect.getfile(Thing).endswith("obj_introspection.py"))
params = inspect.signature(Thing.method).parameters
print([(p.name, p.kind.name, p.default) for p in params.values()])


def where():
    frame = sys._getframe()
    caller = sys._getframe(1)
    return frame.f_code.co_name, caller.f_code.co_name, frame.f_lineno, caller.f_globals["__name__"]


def calls_where():
    return where()


print(calls_where())
print(inspect.currentframe().f_code.co_filename.endswith("obj_introspection.py"))
print([f.function for f in inspect.stack()[:1]])


class Target:
    def __init__(self, n):
        self.n = n


obj = Target(5)
ref = weakref.ref(obj)
print(ref() is obj, ref().n)
called = []
proxy = weakref.proxy(obj, lambda r: called.append("proxy callback"))
print(proxy.n)
fin = weakref.finalize(obj, called.append, "finalized")
del obj
gc.collect()
print(ref(), called, fin.alive)
try:
    proxy.n
except ReferenceError as e:
    print("ReferenceError:", e)
cache = weakref.WeakValueDictionary()
k = Target(1)
cache["k"] = k
print(list(cache))
del k
gc.collect()
print(list(cache))
ws = weakref.WeakSet()
items = [Target(i) for i in range(3)]
for it in items:
    ws.add(it)
items.pop()
gc.collect()
print(len(ws))
try:
    weakref.ref(3)
except TypeError as e:
    print("TypeError:", e)
print(repr(None), repr(...), repr(NotImplemented), repr(int), repr(len), repr(object.__init__)[:30])
print(repr(Thing), repr(inspect), str(type(t)), type(t).__qualname__)
print(hash("") == 0, hash(()) == hash(()), hash(0.5), hash(float("inf")), hash(True))
print(sorted(vars(sys.modules[__name__]))[:3], vars().keys() == globals().keys())
try:
    vars(3)
except TypeError as e:
    print("TypeError:", e)
try:
    hash([])
except TypeError as e:
    print("TypeError:", e)
print(format(3.14159, "e"), format(42, "08b"), format("s", "<4") + "|", format(1234567, "_"))
print(isinstance(3, int | str), issubclass(bool, (str, int)), callable(Thing), callable(t))
