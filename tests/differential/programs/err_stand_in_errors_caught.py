# The errors of gilless's Python stand-ins for CPython's C functions, caught and printed
# by the program, show no frame of theirs.
import sys
import traceback

for call in (lambda: sys._getframe(1000), lambda: sys._getframe("x"),
             lambda: sys._getframe(2 ** 40), lambda: sys.setrecursionlimit(0),
             lambda: sys.setrecursionlimit("x")):
    try:
        call()
    except Exception:
        traceback.print_exc(file=sys.stdout)
