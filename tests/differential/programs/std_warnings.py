# The guest warnings module: filters, stacklevel, catch_warnings, and a warning turned into an error.
import warnings


def deprecated():
    warnings.warn("old api", DeprecationWarning, stacklevel=2)


def caller():
    deprecated()


warnings.simplefilter("always")
caller()
warnings.warn("plain user warning")
warnings.warn("level three", UserWarning, stacklevel=1)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("recorded", RuntimeWarning)
    deprecated()
print([(w.category.__name__, str(w.message), w.lineno) for w in caught])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    warnings.warn("ignored")
warnings.filterwarnings("error", message="fatal.*")
try:
    warnings.warn("fatal problem")
except UserWarning as e:
    print("raised", e)
warnings.resetwarnings()
warnings.simplefilter("default")
for _ in range(3):
    warnings.warn("once per location")
warnings.warn_explicit("explicit", SyntaxWarning, "somefile.py", 12)
print(warnings.formatwarning("msg", UserWarning, "f.py", 3, "line text"), end="")
import sys
print(sys.warnoptions)
warnings.simplefilter("error")
warnings.warn("uncaught warning as error", FutureWarning)
