# with, match, f-strings, walrus, star-unpacking, global/nonlocal, del, assert, lambda, comprehensions.
import contextlib


class Managed:
    def __init__(self, name, swallow=False):
        self.name, self.swallow = name, swallow

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return self.swallow


with Managed("a") as a, Managed("b") as b:
    print(a, b)
with Managed("s", swallow=True):
    raise ValueError("swallowed")
with (Managed("p1") as p1,
      Managed("p2") as p2):
    print(p1 + p2)


@contextlib.contextmanager
def tag(name):
    print(f"<{name}>")
    yield name
    print(f"</{name}>")


with tag("div") as t:
    print("body", t)


def describe(value):
    match value:
        case 0 | 1:
            return "small int"
        case int(n) if n < 0:
            return f"negative {n}"
        case [x, y, *rest]:
            return f"seq {x} {y} {rest}"
        case {"kind": "point", "x": x, **others}:
            return f"point {x} {others}"
        case str() as s:
            return f"string {s!r}"
        case Point(x=0, y=yy):
            return f"on y axis {yy}"
        case Point(xx, yy):
            return f"point {xx},{yy}"
        case _:
            return "other"


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y


for v in [0, -5, [1, 2, 3, 4], {"kind": "point", "x": 1, "z": 2}, "hi", Point(0, 3),
          Point(1, 2), 3.5, (1,)]:
    print(describe(v))
width, value, name = 10, 3.14159, "gilless"
print(f"{name!r:>12}|{value:.2f}|{value:{width}.3}|{width:#x}|{name=}|{value*2=:.1f}")
print(f"{'nested ' + f'{width}'}", f"{{literal}}", f"{3+4}" f"{'x'!s:^5}|")
data = [1, 2, 3, 4, 5]
if (n := len(data)) > 3:
    print("long", n)
print([y for x in data if (y := x * x) > 4], y)
first, *middle, last = data
print(first, middle, last)
(a, b), *c = [(1, 2), 3, 4]
print(a, b, c, [*data, *"ab"], {**{"x": 1}, "y": 2}, (*range(2),))
counter = 0


def bump():
    global counter
    counter += 1


bump()
bump()
print(counter)


def make_counter():
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count

    return inc


inc = make_counter()
print(inc(), inc(), inc.__closure__[0].cell_contents)
x = [1, 2, 3]
del x[0]
print(x)
del x
try:
    x
except NameError as e:
    print(e)
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("AssertionError:", e)
square = lambda v, *, k=2: v ** k
print(square(3), square(2, k=3), (lambda: 1).__name__)
print({k: v for k, v in zip("abc", range(3))}, {v % 2 for v in range(5)})
print([(i, j) for i in range(3) for j in range(i)])
matrix = [[1, 2], [3, 4]]
print([[row[i] for row in matrix] for i in range(2)])
x: int = 5
annotated: "list[str]"
print(__annotations__)


def annotated_fn(a: int, b: str = "x") -> bool:
    return True


print(annotated_fn.__annotations__, annotated_fn.__defaults__)
i = 10
while i > 0:
    i -= 3
else:
    print("while else", i)
for k in range(2):
    pass
else:
    print("for else", k)
print(1 if [] else 2, not None, 1 < 2 < 3, 3 > 2 > 5, 2 ** -1, 7 // -2, -7 % 3, divmod(-7, 2))
print(0.1 + 0.2, 1e300 * 1e10, 10 ** 20, int("0x1f", 16), 1_000_000, 0o17, 0b101, 3j * 2j)
print("abc"[::-1], b"bytes"[1:3], "%s-%d-%.2f" % ("a", 3, 1.5), "{0}{1}{0}".format("x", "y"))
s = "\N{GREEK SMALL LETTER ALPHA}\u00e9\t\x41"
print(s, len(s), ascii(s), r"\n raw")
