# Operators, reflected operands, NotImplemented, rich comparisons, in-place operators, conversions.
import functools
import operator


class Vec:
    def __init__(self, *c):
        self.c = c

    def __repr__(self):
        return f"Vec{self.c}"

    def __add__(self, other):
        if isinstance(other, Vec):
            return Vec(*(a + b for a, b in zip(self.c, other.c)))
        if isinstance(other, (int, float)):
            return Vec(*(a + other for a in self.c))
        return NotImplemented

    __radd__ = __add__

    def __mul__(self, k):
        return Vec(*(a * k for a in self.c)) if isinstance(k, (int, float)) else NotImplemented

    def __rmul__(self, k):
        print("rmul")
        return self * k

    def __matmul__(self, other):
        return sum(a * b for a, b in zip(self.c, other.c))

    def __neg__(self):
        return Vec(*(-a for a in self.c))

    def __abs__(self):
        return sum(a * a for a in self.c) ** 0.5

    def __eq__(self, other):
        return isinstance(other, Vec) and self.c == other.c

    def __hash__(self):
        return hash(self.c)

    def __len__(self):
        return len(self.c)

    def __getitem__(self, i):
        return self.c[i]

    def __iadd__(self, other):
        print("iadd")
        return self + other

    def __bool__(self):
        return any(self.c)

    def __contains__(self, v):
        return v in self.c

    def __index__(self):
        return len(self.c)

    def __call__(self, x):
        return x * len(self.c)


v, w = Vec(1, 2), Vec(3, 4)
print(v + w, v + 1, 1 + v, 2 * v, v * 2, v @ w, -v, abs(Vec(3, 4)), v == Vec(1, 2), v != w)
v += w
print(v, len(v), v[0], v[-1], list(v), 2 in v, bool(Vec(0, 0)), [10, 20, 30][Vec(1)], v(3))
try:
    v - w
except TypeError as e:
    print("TypeError:", e)
try:
    "s" * Vec(1) * Vec(2)
except TypeError as e:
    print("TypeError:", e)
try:
    Vec(1) < Vec(2)
except TypeError as e:
    print("TypeError:", e)


class Sub(Vec):
    def __radd__(self, other):
        return "Sub.__radd__ wins"


print(Vec(1) + Sub(2))


@functools.total_ordering
class Version:
    def __init__(self, *parts):
        self.parts = parts

    def __eq__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self.parts == other.parts

    def __lt__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self.parts < other.parts


print(Version(1, 2) < Version(1, 3), Version(2) >= Version(1, 9), Version(1) == 1,
      sorted([Version(3), Version(1), Version(2)], reverse=True)[0].parts)


class Weird:
    def __eq__(self, other):
        print("Weird.__eq__")
        return NotImplemented


print(Weird() == Weird(), Weird() != 3, None == Weird())


class Num:
    def __init__(self, v):
        self.v = v

    def __int__(self):
        return self.v

    def __float__(self):
        return float(self.v) + 0.5

    def __complex__(self):
        return complex(self.v, 1)

    def __round__(self, n=None):
        return "rounded"

    def __floor__(self):
        return "floor"

    def __trunc__(self):
        return "trunc"

    def __format__(self, spec):
        return f"Num<{spec}>"

    def __str__(self):
        return "Num-str"

    def __lshift__(self, o):
        return ("lshift", o)

    def __rpow__(self, o):
        return ("rpow", o)

    def __truediv__(self, o):
        return ("truediv", o)

    def __floordiv__(self, o):
        return ("floordiv", o)

    def __mod__(self, o):
        return ("mod", o)

    def __and__(self, o):
        return ("and", o)

    def __invert__(self):
        return "invert"


import math
n = Num(3)
print(int(n), float(n), complex(n), round(n), math.floor(n), math.trunc(n), f"{n:>5}", str(n))
print(n << 1, 2 ** n, n / 2, n // 2, n % 2, n & 1, ~n, format(n, "x"))
print(operator.add(1, 2), operator.itemgetter(1, 0)("ab"), operator.attrgetter("v")(n),
      operator.methodcaller("upper")("q"), functools.reduce(operator.mul, range(1, 6)))
print(1 < 2.5, 2 == 2.0, (1, 2) < (1, 3), [1, [2]] == [1, [2]], "a" < "b", {1, 2} <= {1, 2, 3})
print(True + True, 7 ^ 2, 6 | 1, -5 >> 1, 1 << 70, 10 / 4, 10 // 4.0, 2 ** 100 % 97)
x = [1]
y = x
x += [2]
print(y, x is y)
t = (1,)
t2 = t
t += (2,)
print(t2, t)
try:
    1 / 0
except ZeroDivisionError as e:
    print(e)
try:
    10 % 0
except ZeroDivisionError as e:
    print(e)
try:
    [] < 1
except TypeError as e:
    print(e)
