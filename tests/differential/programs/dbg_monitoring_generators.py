# A sys.monitoring tool sees CPython's events for code that makes and advances
# generators, also where the free-threaded 3.13 host's generator guard is at work: no
# call of the guard's functions, no C_RETURN for calling a generator function.
import sys
import threading

if not hasattr(sys, "monitoring"):
    print("no sys.monitoring")
    raise SystemExit
M = sys.monitoring
E = M.events
TOOL = 3
WATCHED = {"gen", "work", "<genexpr>", "<listcomp>", "deleg", "sub"}
counts = {}
lock = threading.Lock()


def recorder(name):
    def record(code, *arguments):
        if code.co_name in WATCHED:
            extra = ""
            if name in ("CALL", "C_RETURN", "C_RAISE"):
                extra = getattr(arguments[1], "__name__", type(arguments[1]).__name__)
            elif name in ("RAISE", "STOP_ITERATION"):
                extra = type(arguments[1]).__name__
            with lock:
                key = (name, code.co_name, extra)
                counts[key] = counts.get(key, 0) + 1
    return record


NAMES = ["PY_START", "PY_RESUME", "PY_RETURN", "PY_YIELD", "PY_UNWIND", "CALL", "C_RETURN",
         "C_RAISE", "RAISE", "STOP_ITERATION"]


def gen(n):
    for i in range(n):
        yield i


def sub():
    yield 1
    return 2


def deleg():
    r = yield from sub()
    yield r


def work(n):
    s = sum(gen(n)) + sum(x for x in gen(n)) + max(gen(2))
    for i, v in enumerate(gen(3)):
        s += v
    s += sum([y for y in zip(gen(2), gen(2))][0])
    s += sum(deleg())
    g = gen(5)
    next(g)
    s += list(g)[0]
    return s


M.use_tool_id(TOOL, "test")
mask = 0
for name in NAMES:
    M.register_callback(TOOL, getattr(E, name), recorder(name))
    mask |= getattr(E, name)
M.set_events(TOOL, mask)
thread = threading.Thread(target=work, args=(3,))
thread.start()
thread.join()
print(work(2))
M.set_events(TOOL, 0)
M.free_tool_id(TOOL)
for key in sorted(counts, key=str):
    print(key, counts[key])
