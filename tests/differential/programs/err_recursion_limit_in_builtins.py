# modes: default, gil, race
# A recursion that calls, at each level, what gilless writes in Python where CPython's
# is C (`print` to a stream, `sys._getframe`, `sys.getrecursionlimit`, `exec`, an
# `import`) ends in one RecursionError, as in CPython, wherever the limit is met: none
# raised while gilless unlinked its frames from another, and none of its frames in the
# traceback. (Its message may end otherwise: where in the level the limit is met differs.)
import io
import sys
import traceback

stream = io.StringIO()


def calls(name):
    if name == "print":
        print(".", end="", file=stream)
    elif name == "print to sys.stdout":
        print(end="")
    elif name == "sys._getframe":
        sys._getframe()
    elif name == "sys._getframe(1)":
        sys._getframe(1)
    elif name == "sys.getrecursionlimit":
        sys.getrecursionlimit()
    elif name == "exec":
        exec("pass")
    elif name == "import":
        import json
        del json


def down(name):
    calls(name)
    down(name)


for name in ("print", "print to sys.stdout", "sys._getframe", "sys._getframe(1)",
             "sys.getrecursionlimit", "exec", "import"):
    for _ in range(3):
        try:
            down(name)
        except RecursionError as error:
            names = {entry.name for entry in traceback.extract_tb(error.__traceback__)}
            # (The limit is met in `down` or in `calls`, as the levels fall.)
            print(name, str(error).startswith("maximum recursion depth exceeded"),
                  repr(error.__context__), names <= {"<module>", "down", "calls"})
