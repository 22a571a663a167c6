# modes: default, gil, race
# Generators look and behave as CPython's, on hosts where gilless guards them too.
import asyncio
import contextlib
import inspect
import pickle
import traceback
import types


def numbers(limit):
    "Counts."
    for i in range(limit):
        received = yield i
        if received is not None:
            print("received", received)
    return "done"


gen = numbers(3)
print(isinstance(gen, types.GeneratorType), inspect.isgenerator(gen), gen.__name__)
print(inspect.isgeneratorfunction(numbers), numbers.__name__, numbers.__doc__,
      inspect.signature(numbers), repr(numbers).split(" at ")[0])
print(inspect.getgeneratorstate(gen), next(gen), gen.send("x"), gen.gi_running,
      inspect.getgeneratorstate(gen), gen.gi_code.co_name, gen.gi_frame.f_lineno)
print(list(gen), inspect.getgeneratorstate(gen))


def delegating():
    result = yield from numbers(2)
    print("returned", result)


print(list(delegating()), sum(i * i for i in range(5)))


class Box:
    def items(self):
        yield self


print(inspect.isgeneratorfunction(Box().items), next(Box().items()).__class__.__name__)


def reentrant():
    yield next(self_gen)


self_gen = reentrant()
try:
    next(self_gen)
except ValueError as error:
    print("ValueError:", error)


def failing():
    yield 1
    raise KeyError("inside")


try:
    list(failing())
except KeyError:
    print([(frame.name, frame.line) for frame in traceback.extract_tb(
        __import__("sys").exc_info()[2])])

thrown = numbers(5)
next(thrown)
try:
    thrown.throw(RuntimeError("thrown"))
except RuntimeError as error:
    print("thrown back:", error, inspect.getgeneratorstate(thrown))
closing = numbers(5)
next(closing)
closing.close()
print(inspect.getgeneratorstate(closing))


@contextlib.contextmanager
def managed():
    print("enter")
    try:
        yield 7
    finally:
        print("exit")


with managed() as value:
    print("value", value)


async def main():
    await asyncio.sleep(0)
    return "awaited"


print(asyncio.run(main()))
try:
    pickle.dumps(numbers(1))
except TypeError as error:
    print("TypeError:", error)
print(pickle.loads(pickle.dumps(numbers)) is numbers)

# What the guard puts in builtins pickles by reference, as what CPython has there does
# (test_pickle's test_builtin_types and test_builtin_functions).
import builtins
for value in vars(builtins).values():
    if (isinstance(value, type) and not issubclass(value, BaseException)
            or isinstance(value, (types.BuiltinFunctionType, types.FunctionType))):
        for protocol in (0, pickle.HIGHEST_PROTOCOL):
            assert pickle.loads(pickle.dumps(value, protocol)) is value, value
            assert pickle.loads(pickle._dumps(value, protocol)) is value, value
print(type(numbers), type(numbers).__name__)

# Attributes of a generator: the host generator's errors.
named = numbers(1)
named.__name__, named.__qualname__ = "renamed", "Re.named"
print(named.__name__, named.__qualname__, repr(named).split(" at ")[0])
for name, value in (("__name__", 1), ("__qualname__", 1), ("gi_running", 1), ("other", 1)):
    try:
        setattr(named, name, value)
    except (TypeError, AttributeError) as error:
        print(type(error).__name__, error)
    try:
        delattr(named, name)
    except (TypeError, AttributeError) as error:
        print(type(error).__name__, error)
print(named.__next__.__doc__, named.send.__doc__)

# Stacks taken in a generator's body: resumed by send or throw, it follows the
# caller's frame; delegated to by `yield from`, the delegating generator's.
# (Advanced by next() or a loop, the guard's step lies between, on 3.13t.)
import sys


def stack_names():
    frame, names = sys._getframe(1), []
    while frame is not None and frame.f_code.co_name != "<module>":
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    return names


def inner():
    print("inner", stack_names())
    try:
        yield 1
    except KeyError:
        print("inner caught", stack_names())
    yield 2
    return "inner done"


def outer():
    print("outer", stack_names())
    result = yield from inner()
    print("outer got", result, stack_names())
    yield 3


def drive():
    running = outer()
    print(running.send(None), running.gi_yieldfrom.gi_code.co_name,
          running.gi_yieldfrom is running.gi_yieldfrom)
    print(running.throw(KeyError("k")))
    print(running.send(None), running.gi_yieldfrom)


drive()

# A generator delegated to, once done, is done for everyone.
shared = inner()
for value in (lambda: (yield from shared))():
    pass
try:
    next(shared)
except StopIteration:
    print("finished: StopIteration")
print("delegated again:", list((lambda: (yield from shared))()))
