# sys._getframemodulename (from 3.12) counts the program's frames only, and
# is None past the outermost, as sys._getframe raises there.
import sys


def names():
    found, depth = [], 0
    while True:
        try:
            frame = sys._getframe(depth)
        except ValueError:
            break
        found.append((frame.f_globals["__name__"], sys._getframemodulename(depth)))
        depth += 1
    return found, sys._getframemodulename(depth), sys._getframemodulename(depth=1)


if hasattr(sys, "_getframemodulename"):
    print(names())
    print(eval("sys._getframemodulename()"), [f() for f in [sys._getframemodulename]])
else:
    print("no sys._getframemodulename before 3.12")
