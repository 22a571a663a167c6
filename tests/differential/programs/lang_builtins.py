# Builtin functions on guest objects.
import sys
print(abs(-3), all([]), any([0, 1]), bin(10), bool(""), callable(len), chr(65), ord("A"))
print(divmod(17, 5), list(enumerate("ab", 1)), list(filter(None, [0, 1, 2])), float("1.5"))
print(format(1234.5, ",.2f"), hex(255), int("101", 2), isinstance(True, int), len({1: 2}))
print(list(map(str.upper, "ab")), max([3, 1, 2]), min(3, 1, key=lambda v: -v), next(iter([9])))
print(oct(8), pow(2, 10, 1000), pow(2, -1, 7), list(range(10, 0, -3)), repr("q'\""), round(2.675, 2))
print(round(2.5), round(-0.5), sorted("hello", reverse=True), sum([0.1] * 10), sum([[1], [2]], []))
print(tuple(reversed([1, 2, 3])), list(zip("ab", "cd", "ef")), slice(1, 5, 2).indices(10))
print(type(None).__name__, type(...).__name__, type(NotImplemented).__name__)
print(hash(1) == hash(1.0), hash((1, 2)) == hash((1, 2)), hash(-1))
print(id(None) == id(None), frozenset({1}) == {1}, bytes(3), bytearray(b"ab"), memoryview(b"x").tobytes())
print(complex(1, 2), complex("3+4j"), abs(3 + 4j), (1 + 2j).conjugate())
print(str(b"abc", "ascii"), "x".encode("utf-16-le"), "é".encode(), b"\xc3\xa9".decode())
print(dir(object())[:5], "__class__" in dir(3))
print(vars(type("T", (), {"a": 1}))["a"])
print(getattr(3, "real"), hasattr([], "append"), getattr(object(), "missing", "default"))
ns = type("NS", (), {})()
setattr(ns, "x", 1)
delattr(ns, "x")
print(hasattr(ns, "x"))
print(issubclass(bool, int), isinstance(3, (str, int)), isinstance([], list | dict))
print(list(iter([1, 2, 3].pop, 1)))
print(sorted({3: "c", 1: "a"}.items()), dict.fromkeys("ab", 0), list(map(pow, [2, 3], [3, 2])))
print(print.__name__, len.__module__, type(len).__name__, type(print))
try:
    len(5)
except TypeError as e:
    print(e)
try:
    int(None)
except TypeError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    [1, 2].index(5)
except ValueError as e:
    print(e)
try:
    open("/nonexistent/path/file.txt")
except FileNotFoundError as e:
    print(e.errno, e.strerror, e.filename)
try:
    next(iter([]))
except StopIteration as e:
    print("StopIteration", repr(e))
print(globals()["__name__"], __name__, __file__.endswith("lang_builtins.py"), __doc__)
print(__builtins__.__name__ if hasattr(__builtins__, "__name__") else type(__builtins__))
import builtins
print(builtins.len is len, type(builtins).__name__, builtins.__name__)
print(sys.getrecursionlimit(), sys.maxsize, sys.byteorder, sys.getdefaultencoding())
print(int.from_bytes(b"\x01\x00", "little"), (255).to_bytes(2, "big"), (10).bit_length())
print(float("inf"), float("-inf"), float("nan") != float("nan"), 1.5.as_integer_ratio(), 0.5.hex())
print(str.maketrans("ab", "xy"), "abc".translate(str.maketrans("ab", "xy")), "a,b,,c".split(","))
print("  pad ".strip(), "x".center(7, "*"), "Title case words".title(), "ß".upper(), "İ".lower())
print(ascii("ü"), repr(1e16), repr(1.0), str(1e-5), 1/3, -0.0, 2**0.5)
