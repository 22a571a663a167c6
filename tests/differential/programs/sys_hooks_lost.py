# sys's hooks and limits as CPython's C code reads them: values that are not
# exceptions, sys.tracebacklimit, the struct sequences' types.
import sys


def f1():
    1 / 0


def f2():
    f1()


for limit in (10, 2, 1, 0, -1, None):
    print("limit", limit, flush=True)
    if limit is None:
        del sys.tracebacklimit
    else:
        sys.tracebacklimit = limit
    try:
        f2()
    except ZeroDivisionError as error:
        sys.excepthook(type(error), error, error.__traceback__)

sys.excepthook(1, "1", 1)
sys.excepthook(ValueError, ValueError(3), 1)
sys.excepthook(ValueError, None, None)

for flags_type in (type(sys.flags), type(sys.version_info)):
    try:
        flags_type(sys.flags)
    except TypeError as error:
        print("TypeError:", error)
    try:
        flags_type.__new__(flags_type, sys.flags)
    except TypeError:
        # CPython's message names tuple.__new__, which the type inherits.
        print("TypeError from __new__")

version = sys.implementation.version
print(type(version).__name__, version[:2] == (version.major, version.minor),
      version == tuple(version), len(version))
levels = {"alpha": 0xA, "beta": 0xB, "candidate": 0xC, "final": 0xF}
print(sys.implementation.hexversion == (
    version.major << 24 | version.minor << 16 | version.micro << 8
    | levels[version.releaselevel] << 4 | version.serial))

print("stdout deleted", flush=True)
del sys.stdout
try:
    sys.__displayhook__(42)
except RuntimeError as error:
    sys.stderr.write(f"RuntimeError: {error}\n")
sys.stdout = sys.__stdout__
