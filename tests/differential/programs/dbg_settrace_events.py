# A tracer and a profile function see the program's own calls, lines and returns, and
# exec, eval and print as the built-ins they are, with nothing of the runtime between.
import sys


def where(frame):
    return f"{frame.f_code.co_name}:{frame.f_lineno}"


events = []


def tracer(frame, event, arg):
    events.append(("trace", event, where(frame)))
    return tracer


def g(x):
    return eval("x * 2", {"x": x})


def f():
    exec("y = 1")
    print("printing while traced")
    return g(3)


sys.settrace(tracer)
f()
installed = sys.gettrace() is tracer
sys.settrace(None)
print("gettrace gives the tracer:", installed)


def profiler(frame, event, arg):
    shown = getattr(arg, "__name__", None) if event.startswith("c_") else None
    events.append(("profile", event, where(frame), shown))


sys.setprofile(profiler)
f()
installed = sys.getprofile() is profiler
sys.setprofile(None)
print("getprofile gives the profiler:", installed)
for event in events:
    print(*event)
