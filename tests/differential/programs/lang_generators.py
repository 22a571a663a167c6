# Generators: send, throw, close, yield from, return values, generator expressions.


def counter(n):
    total = 0
    for i in range(n):
        received = yield i
        if received is not None:
            total += received
    return total


g = counter(4)
print(next(g), g.send(10), g.send(20), next(g))
try:
    next(g)
except StopIteration as stop:
    print("returned", stop.value)


def delegating():
    result = yield from counter(3)
    print("inner returned", result)
    yield "after"


d = delegating()
print(list(d))


def guarded():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("caught", e)
        yield "recovered"
    finally:
        print("cleanup")


g = guarded()
print(next(g))
print(g.throw(ValueError("boom")))
g.close()
print(g.gi_frame is None)


def closing():
    try:
        yield 1
    except GeneratorExit:
        print("got GeneratorExit")
        raise


c = closing()
next(c)
c.close()


def bad_close():
    try:
        yield 1
    except GeneratorExit:
        yield 2


b = bad_close()
next(b)
try:
    b.close()
except RuntimeError as e:
    print("RuntimeError:", e)


def raises_stop():
    yield 1
    raise StopIteration("x")


try:
    list(raises_stop())
except RuntimeError as e:
    print("RuntimeError:", e, type(e.__cause__).__name__)

squares = (x * x for x in range(5) if x % 2 == 0)
print(type(squares).__name__, list(squares), list(squares))


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


import itertools
print(list(itertools.islice(fib(), 10)))


def inner_throw():
    try:
        yield "a"
    except KeyError:
        yield "inner handled"


def outer_throw():
    yield from inner_throw()
    yield "outer done"


o = outer_throw()
print(next(o), o.throw(KeyError), next(o))
gen = counter(2)
print(gen.__name__, gen.__qualname__, gen.gi_running, gen.gi_code.co_name)
try:
    gen.send(1)
except TypeError as e:
    print("TypeError:", e)


def running():
    yield me.gi_running


me = running()
print(next(me))
try:
    next(g for g in [1] if 1 / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(list(zip(*[iter(range(6))] * 2)))
