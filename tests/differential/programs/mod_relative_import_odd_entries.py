# A relative import returns the package its absolute name names, whatever
# object sys.modules holds for the submodule, and a missing package is a KeyError.
import sys
import types

sys.modules["pkg_a"] = types.ModuleType("pkg_a")
sys.modules["pkg_a.b"] = types.ModuleType("pkg_a.b")
sys.modules["pkg_a.b.c"] = {}
print(__import__("b.c", {"__package__": "pkg_a"}, level=1).__name__)
del sys.modules["pkg_a.b"]
try:
    __import__("b.c", {"__package__": "pkg_a"}, level=1)
except KeyError:
    # CPython before 3.13.4 garbles the message (it reads freed memory).
    print("KeyError")
