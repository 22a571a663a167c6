# modes: default, gil, race
# A sys.monitoring tool sees the program's own events only: exec, eval and compile as
# the C calls they are in CPython, the code they run above their caller, a container's
# method as itself, and nothing of the runtime (nor the race detector's events). Hosts
# without sys.monitoring print the same line under both.
import sys


def square(x):
    return eval(compile("x * x", "<square>", "eval"), {"x": x})


seen = []


def work():
    exec("y = 1")
    squares = [square(i) for i in range(3)]
    for value in squares:
        seen.append(value)
    print("squares", sorted(squares))
    return len(squares)


def described(callable):
    return getattr(callable, "__qualname__", type(callable).__name__)


monitoring = getattr(sys, "monitoring", None)
if monitoring is None:
    print("no sys.monitoring on this host")
    raise SystemExit
events = monitoring.events
TOOL = 4
monitoring.use_tool_id(TOOL, "differential")
log = []


# What each event shows besides its code: the line, the callable, or nothing (an
# instruction offset depends on the mode's compiled code, as on CPython's version).
SHOWN = {"PY_START": lambda arguments: "", "PY_RETURN": lambda arguments: "",
         "LINE": lambda arguments: arguments[0],
         "CALL": lambda arguments: described(arguments[1]),
         "C_RETURN": lambda arguments: described(arguments[1]),
         "C_RAISE": lambda arguments: described(arguments[1])}


def recorder(name):
    def record(code, *arguments):
        log.append((name, code.co_name, SHOWN[name](arguments)))
    return record


for name in SHOWN:
    monitoring.register_callback(TOOL, getattr(events, name), recorder(name))
chosen = (events.PY_START | events.PY_RETURN | events.LINE | events.CALL | events.C_RETURN
          | events.C_RAISE)
monitoring.set_events(TOOL, chosen)
work()
monitoring.set_events(TOOL, 0)
previous = monitoring.register_callback(TOOL, events.CALL, None)
print("register_callback gives back the tool's own function:", previous.__name__)
monitoring.free_tool_id(TOOL)
for entry in log:
    print(*entry)
