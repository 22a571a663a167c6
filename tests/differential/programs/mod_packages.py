# Packages, subpackages, relative imports, __all__, namespace packages.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata", "nsdir"))
import shapes
from shapes import *
from shapes.flat import Square
import shapes.solid.cube as cube_module

print(shapes.loaded, shapes.__all__, Shape, Cube.__module__)
print(Square().describe(), Cube().describe(), len(Cube.faces), shapes.flat.same)
print(cube_module.__name__, cube_module.__package__, shapes.solid.base is shapes.base)
print(os.path.basename(shapes.__file__), [os.path.basename(p) for p in shapes.__path__])
print(shapes.__spec__.name, shapes.__spec__.submodule_search_locations is not None)
print(sorted(n for n in sys.modules if n.startswith("shapes")))
import namespace_pkg.mod
print(namespace_pkg.mod.WHERE, namespace_pkg.__file__, type(namespace_pkg.__path__).__name__)
print(namespace_pkg.__spec__.origin, namespace_pkg.__spec__.loader)
try:
    from shapes import missing_name
except ImportError as e:
    print("ImportError:", e)
try:
    import shapes.nothing_here
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e)
try:
    exec("from . import x", {"__name__": "top", "__package__": ""})
except ImportError as e:
    print("ImportError:", e)
try:
    import broken.bad_syntax
except SyntaxError as e:
    print("SyntaxError:", e.msg, os.path.basename(e.filename), e.lineno, e.offset, repr(e.text))
try:
    import broken.raises
except KeyError as e:
    print("KeyError:", e, "broken.raises" in sys.modules)
import runnable
print(runnable.__name__)
import broken.raises
