# Subclassing built-in types.
import collections


class MyList(list):
    def append(self, item):
        super().append(item * 2)

    def __repr__(self):
        return "MyList" + super().__repr__()


ml = MyList([1, 2])
ml.append(3)
ml.extend([4])
print(ml, len(ml), ml[1:], type(ml[1:]).__name__, isinstance(ml, list), ml + [0])


class DefaultDict(dict):
    def __missing__(self, key):
        self[key] = value = key * 2
        return value


d = DefaultDict()
print(d["ab"], d, d.get("zz"), "zz" in d)


class Upper(str):
    def __new__(cls, value):
        return super().__new__(cls, value.upper())

    def shout(self):
        return self + "!"


u = Upper("hi")
print(u, u.shout(), type(u.shout()).__name__, u == "HI", len(u), u.lower(), type(u.lower()).__name__)


class Money(int):
    def __repr__(self):
        return f"${int(self)}"

    def __add__(self, other):
        return Money(int(self) + int(other))


print(repr(Money(3) + 4), Money(5) * 2, type(Money(5) * 2).__name__, Money(7) // 2)


class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))

    @property
    def x(self):
        return self[0]


p = Point(1, 2)
print(p, p.x, p + (3,), hash(p) == hash((1, 2)))


class Odd(float):
    pass


print(Odd(1.5) + 1, repr(Odd(2.5)), Odd("3.25"))


class Counted(collections.Counter):
    pass


print(Counted("aab").most_common(1), type(Counted("a") + Counted("b")).__name__)


class OrderedLog(collections.OrderedDict):
    def __setitem__(self, key, value):
        print("set", key)
        super().__setitem__(key, value)


o = OrderedLog()
o["a"] = 1
o.update(b=2)
print(list(o.items()))


class MySet(set):
    pass


s = MySet([1, 2]) | {3}
print(sorted(s), type(s).__name__, type(MySet([1]) | MySet([2])).__name__)


class Exc(ValueError):
    def __init__(self, a, b):
        super().__init__(f"{a}-{b}")
        self.a = a


try:
    raise Exc(1, 2)
except ValueError as e:
    print(e, e.a, e.args)


class Bytes(bytes):
    pass


print(Bytes(b"ab") + b"c", Bytes(b"xy").hex(), Bytes(3))
import enum


class Color(enum.IntEnum):
    RED = 1
    GREEN = 2


print(Color.RED + 1, Color(2), repr(Color.GREEN), list(Color), Color["RED"].name)


class Dict2(dict):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.extra = True

    def __getitem__(self, k):
        return super().__getitem__(k) * 10


d2 = Dict2(a=1)
print(d2["a"], d2.get("a"), dict(d2), d2.extra, {**d2})


class ModuleLike(type(collections)):
    pass


m = ModuleLike("fake")
m.x = 1
print(m, m.x)
