# modes: default, race
# The pure-Python profiler and the trace module see the program's calls as CPython's do:
# exec and eval as built-ins whose code runs above their caller, a generator's frame
# above the frame that advances it, a container's methods as built-ins (the race
# detector's events among them), and nothing of the runtime. (Not the GIL mode: its
# switch points give a function's first line two events on 3.11; see docs/invisible.md.)
import profile
import pstats
import trace


def double(x):
    return eval("x * 2", {"x": x})


def work():
    exec("y = 1")
    values = []
    for i in range(3):
        values.append(double(i))
    return sorted(values)


def with_generator():
    return sorted(value + 1 for value in work())


def short(path):
    return path.rsplit("/", 1)[-1]


profiler = profile.Profile()
profiler.runctx("with_generator()", globals(), locals())
for (path, line, name), row in sorted(pstats.Stats(profiler).stats.items()):
    print("profile", short(path), name, "calls:", row[1])

tracer = trace.Trace(count=1, trace=0, countfuncs=0, countcallers=0)
tracer.runfunc(with_generator)
for (path, line), count in sorted(tracer.results().counts.items()):
    print("trace count", short(path), line, count)

tracer = trace.Trace(count=0, trace=0, countcallers=1)
tracer.runfunc(with_generator)
for caller, callee in sorted(tracer.results().callers):
    print("trace caller", short(caller[0]), caller[2], "->", short(callee[0]), callee[2])

tracer = trace.Trace(count=0, trace=1)
tracer.runfunc(double, 4)
