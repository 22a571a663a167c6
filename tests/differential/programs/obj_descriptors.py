# Descriptors, properties, __getattr__ / __getattribute__, attribute lookup order.


class Typed:
    def __init__(self, kind):
        self.kind = kind

    def __set_name__(self, owner, name):
        self.private = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.private)

    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError(f"expected {self.kind.__name__}, got {type(value).__name__}")
        setattr(obj, self.private, value)

    def __delete__(self, obj):
        print("deleting", self.private)
        delattr(obj, self.private)


class NonData:
    def __get__(self, obj, objtype=None):
        return "from non-data descriptor"


class Person:
    age = Typed(int)
    nickname = NonData()

    def __init__(self, age):
        self.age = age


p = Person(30)
print(p.age, p.__dict__)
try:
    p.age = "old"
except TypeError as e:
    print("TypeError:", e)
print(p.nickname)
p.nickname = "instance wins"
print(p.nickname)
del p.age
print(p.__dict__)


class Lazy:
    def __getattr__(self, name):
        if name.startswith("x"):
            return name * 2
        raise AttributeError(f"{type(self).__name__!r} has no {name!r}")


lz = Lazy()
lz.real = 1
print(lz.xy, lz.real)
try:
    lz.other
except AttributeError as e:
    print("AttributeError:", e)


class Logged:
    def __init__(self):
        self.value = 3

    def __getattribute__(self, name):
        if not name.startswith("__"):
            print("get", name)
        return super().__getattribute__(name)

    def __setattr__(self, name, value):
        print("set", name, value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        print("del", name)
        object.__delattr__(self, name)


lg = Logged()
print(lg.value)
del lg.value


class Both:
    def __getattribute__(self, name):
        if name == "boom":
            raise AttributeError(name)
        return object.__getattribute__(self, name)

    def __getattr__(self, name):
        return f"fallback {name}"


print(Both().boom)


class Temperature:
    def __init__(self):
        self._c = 0

    @property
    def fahrenheit(self):
        """Degrees F."""
        return self._c * 9 / 5 + 32

    @fahrenheit.setter
    def fahrenheit(self, f):
        self._c = (f - 32) * 5 / 9

    @fahrenheit.deleter
    def fahrenheit(self):
        print("deleter")


t = Temperature()
t.fahrenheit = 212
print(t._c, t.fahrenheit, Temperature.fahrenheit.__doc__)
del t.fahrenheit


class ReadOnly:
    @property
    def x(self):
        return 1


try:
    ReadOnly().x = 2
except AttributeError as e:
    print("AttributeError:", e)


class Method:
    def f(self):
        return self


m = Method()
bound = m.f
print(bound.__self__ is m, bound.__func__ is Method.f, Method.__dict__["f"].__get__(m)() is m)
print(type(bound).__name__, bound == m.f, staticmethod(len)("ab"), classmethod(lambda c: c).__get__(None, int)())
import functools


class Cached:
    calls = 0

    @functools.cached_property
    def expensive(self):
        Cached.calls += 1
        return 42


c = Cached()
print(c.expensive, c.expensive, Cached.calls, "expensive" in vars(c))
print(object.__dict__["__class__"].__get__(3), int.__dict__["real"].__get__(5))


class ClassAttr:
    def __init__(self):
        self.__private = 1


print(ClassAttr()._ClassAttr__private)
try:
    ClassAttr().__private
except AttributeError as e:
    print("AttributeError:", e)
