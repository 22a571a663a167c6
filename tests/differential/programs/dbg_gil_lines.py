# modes: default, gil
# Line tracing sees CPython's events for functions of every shape: in the GIL mode the
# switch point at a function's entry adds no event (3.11 once reported a function's first
# line twice), also where the body starts with declarations that have no code, nor does a
# loop's (3.13 once reported a `while` line twice per iteration).
import sys


def falls_off(x):
    y = x + 1


def returns(x):
    y = x + 1
    return y


def documented(x):
    "doc"
    return x


def only_doc():
    "doc"


def loop_at_end(n):
    for i in range(n):
        n += i


def if_at_end(x):
    if x:
        x += 1
    else:
        x -= 1


def try_at_end(x):
    try:
        x += 1
    finally:
        x -= 1


def with_global():
    global G
    G = 1


def gen(n):
    yield n
    yield n + 1


def nested(x):
    def inner(y):
        return y * 2
    return inner(x)


def raises(x):
    return 1 / x


def one_line(x): return x


class C:
    def method(self):
        while False:
            pass
        return self


def annotated():
    x: int
    y = 1


def nonlocal_outer():
    z = 0

    def inner():
        nonlocal z
        z = 2
    inner()


def only_global():
    global G


def constant_first():
    ...
    return 1


def pass_first():
    pass
    return 1


def while_true():
    n = 0
    while True:
        try:
            n += 1
            if n > 2:
                break
        except ValueError:
            pass
    return n


def while_test(n):
    while n < 3:
        n += 1
    return n


events = []


def tracer(frame, event, arg):
    if frame.f_code.co_filename == __file__ and frame.f_code.co_name not in ("tracer", "<module>"):
        events.append((frame.f_code.co_name, event, frame.f_lineno))
    return tracer


sys.settrace(tracer)
falls_off(1); returns(1); documented(1); only_doc(); loop_at_end(3); if_at_end(0); if_at_end(1)
try_at_end(1); with_global(); list(gen(1)); nested(2); one_line(1); C().method()
annotated(); nonlocal_outer(); only_global(); constant_first(); pass_first()
while_true(); while_test(0)
try:
    raises(0)
except ZeroDivisionError:
    pass
sys.settrace(None)
for event in events:
    print(event)
