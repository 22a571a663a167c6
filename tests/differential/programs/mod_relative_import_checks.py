# modes: default, gil
# A relative import resolves its package as CPython's C code does: its errors and
# warnings (the importer's), and no importlib frame for a profiler to see.
import sys, types, warnings

class Spec:
    def __init__(self, parent):
        self.parent = parent

sys.modules["pkg_r"] = types.ModuleType("pkg_r")
sys.modules["pkg_r"].__path__ = []
sys.modules["pkg_r.sub"] = types.ModuleType("pkg_r.sub")
cases = [
    ("x", {}, 1), ("x", {"__name__": "a.b"}, 1), ("x", {"__package__": 5}, 1),
    ("sub", {"__package__": "pkg_r", "__spec__": Spec("other")}, 1),
    ("x", {"__spec__": Spec(5)}, 1), ("x", {"__package__": ""}, 1),
    ("x", {"__package__": "a"}, 2), ("x", {"__package__": "a"}, -1), (5, {}, 1),
    ("x", 5, 1), ("x", {"__name__": 5}, 1), ("x", {"__name__": "mod"}, 1),
    ("sub", {"__name__": "pkg_r", "__path__": []}, 1), ("", {"__package__": "pkg_r"}, 1),
    ("sub", {"__package__": "pkg_r"}, 1), ("sub", {"__package__": None, "__spec__": Spec("pkg_r")}, 1),
    ("", {}, 0),
]
for name, globals_, level in cases:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = __import__(name, globals_, None, (), level)
            outcome = "->" + getattr(result, "__name__", repr(result))
        except Exception as error:
            outcome = f"{type(error).__name__}: {error}"
    print(repr(name), level, outcome,
          [(w.category.__name__, str(w.message), w.filename.rsplit("/", 1)[-1], w.lineno) for w in caught])

def f():
    from . import nothing
try:
    f()
except ImportError as e:
    print("statement:", e)

# A relative import that finds its module loaded runs no Python code of importlib's.
import os, tempfile
directory = tempfile.mkdtemp()
os.mkdir(os.path.join(directory, "relpkg"))
with open(os.path.join(directory, "relpkg", "__init__.py"), "w") as f:
    f.write("from . import part\n"
            "def again():\n"
            "    from . import part\n"
            "    from .part import value\n"
            "    return value\n")
with open(os.path.join(directory, "relpkg", "part.py"), "w") as f:
    f.write("value = 42\n")
sys.path.insert(0, directory)
import relpkg
events = []
def record(frame, event, arg):
    if event in ("call", "c_call"):
        events.append((event, frame.f_code.co_name if event == "call" else arg.__name__))
sys.setprofile(record)
relpkg.again()
sys.setprofile(None)
print(events)
