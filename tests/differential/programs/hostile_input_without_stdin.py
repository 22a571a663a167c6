# input() after the program deleted sys.stdin or sys.stdout, or set it to None: CPython's
# RuntimeError, and no prompt written.
import sys

saved = sys.stdin
del sys.stdin
try:
    input("prompt> ")
except RuntimeError as error:
    print("deleted:", type(error).__name__, error)
sys.stdin = None
try:
    input("prompt> ")
except RuntimeError as error:
    print("None:", type(error).__name__, error)
sys.stdin = saved
saved = sys.stdout
for lost in ("deleted", "None"):
    if lost == "deleted":
        del sys.stdout
    else:
        sys.stdout = None
    try:
        input("prompt> ")
    except RuntimeError as error:
        sys.stderr.write(f"stdout {lost}: {type(error).__name__} {error}\n")
    sys.stdout = saved
print(input.__name__, input.__module__, repr(input))
