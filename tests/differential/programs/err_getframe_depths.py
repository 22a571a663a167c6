# sys._getframe's depth is a C int, as in CPython: a value out of its range is an
# OverflowError, a negative one within it the calling frame.
import sys

for depth in (2**31, 2**31 - 1, -2**31, -2**31 - 1, 2**40, -5, True, 1.5, "1"):
    try:
        frame = sys._getframe(depth)
        print(repr(depth), frame.f_code.co_name)
    except Exception as error:
        print(repr(depth), type(error).__name__, error)
