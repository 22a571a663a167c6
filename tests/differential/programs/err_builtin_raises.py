# Built-ins that gilless implements in Python (sys.setrecursionlimit, compile, exec,
# eval) raise as C functions do: no frame of theirs in the traceback.
import sys
import traceback

calls = [
    lambda: sys.setrecursionlimit(0),
    lambda: compile("pass", "f", "bogus"),
    lambda: exec(1),
    lambda: eval("1", []),
]
for call in calls:
    try:
        call()
    except Exception:
        traceback.print_exc(file=sys.stdout)
        print([frame.name for frame in traceback.extract_tb(sys.exc_info()[2])])

sys.setrecursionlimit(0)
