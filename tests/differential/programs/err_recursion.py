# Unbounded recursion raises RecursionError (caught, then uncaught), never a crash.
import sys


def down(n):
    return down(n + 1) + 1


try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)


class Loop:
    def __repr__(self):
        return repr(self)


try:
    repr(Loop())
except RecursionError as e:
    print("RecursionError:", e)


class Attr:
    def __getattr__(self, name):
        return self.other


try:
    Attr().x
except RecursionError as e:
    print("RecursionError:", e)
nested = []
for _ in range(100000):
    nested = [nested]
try:
    print(len(repr(nested)))
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(200)
print(sys.getrecursionlimit())


def count(n):
    return 0 if n == 0 else 1 + count(n - 1)


print(count(150))
down(0)
