# modes: default, gil, race
# The itertools iterators that gilless locks on hosts where threads advancing one crash
# (free-threaded 3.13), `tee`'s and `groupby`'s groups among them, look and behave as CPython's: names,
# documentation, signatures, errors, pickling, copies, and the frames and events of the
# Python code they call.
import copy
import inspect
import itertools
import pickle
import sys
import threading
import traceback
import warnings
import weakref

# (Their `__next__` takes the object's lock from the first thread started on.)
thread = threading.Thread(target=lambda: None)
thread.start()
thread.join()

GUARDED = ("product", "permutations", "combinations", "combinations_with_replacement",
           "cycle", "pairwise", "zip_longest", "accumulate")

for name in GUARDED:
    kind = getattr(itertools, name)
    print(repr(kind), kind.__name__, kind.__qualname__, kind.__module__,
          kind.__text_signature__, inspect.signature(kind))
    print(" ", kind.__doc__.splitlines()[0], "|", kind.__next__.__doc__)
    print(" ", sorted(set(dir(kind)) - set(dir(object))))

server = itertools.cycle("ab")
print(type(server), isinstance(server, itertools.cycle), hasattr(server, "__dict__"),
      [next(server) for _ in range(5)], iter(server) is server)


def show_errors(*calls):
    for call in calls:
        try:
            print(call())
        except Exception:
            traceback.print_exc(file=sys.stdout)


show_errors(lambda: itertools.cycle(), lambda: itertools.product(1),
            lambda: itertools.permutations("ab", -1), lambda: itertools.pairwise(),
            lambda: itertools.accumulate([1], initial=1, other=2),
            lambda: list(itertools.accumulate(["a", 1])))


def failing():
    yield 1
    raise KeyError("from the iterator")


def show_failure(iterator):
    """Two items of `iterator` over `failing()`: the first, and the traceback."""
    print(next(iterator))
    try:
        next(iterator)
    except KeyError:
        traceback.print_exc(file=sys.stdout)


def copies(made):
    """`made` pickled and unpickled, and deep-copied."""
    with warnings.catch_warnings():
        # (Pickling and copying itertools objects is deprecated from 3.12.)
        warnings.simplefilter("ignore", DeprecationWarning)
        return pickle.loads(pickle.dumps(made)), copy.deepcopy(made)


show_failure(itertools.zip_longest(failing(), "x"))


def stacks():
    yield [frame.name for frame in traceback.extract_stack()]
    yield sys._getframe(1).f_code.co_name
    yield [info.function for info in inspect.stack()][:3]


def advance(make):
    iterator = make(stacks())
    return [next(iterator) for _ in range(2)]


for make in (itertools.pairwise, itertools.cycle, lambda given: itertools.zip_longest(given, "ab"),
             lambda given: itertools.accumulate(given, lambda total, value: (total, value))):
    print(advance(make))


class Counting:
    def __init__(self):
        self.left = 3

    def __iter__(self):
        return self

    def __next__(self):
        self.left -= 1
        if self.left < 0:
            raise StopIteration
        return self.left


events = []


def tracer(frame, event, arg):
    events.append((event, frame.f_code.co_name))
    return tracer


def profiler(frame, event, arg):
    events.append((event, getattr(arg, "__name__", frame.f_code.co_name)))


def traced():
    return list(itertools.pairwise(Counting())) + [next(itertools.cycle(Counting()))]


for hook in (sys.settrace, sys.setprofile):
    hook(tracer if hook is sys.settrace else profiler)
    traced()
    hook(None)
    print(hook.__name__, events)
    del events[:]

for made in (itertools.cycle("xyz"), itertools.product("ab", repeat=2),
             itertools.combinations("abcd", 2), itertools.accumulate([1, 2, 3])):
    next(made)
    for again in copies(made):
        print(type(again).__name__, type(again) is type(made),
              list(itertools.islice(again, 4)))


class Pairs(itertools.pairwise):
    def __next__(self):
        return "pair", super().__next__()


print(list(Pairs("abc")), isinstance(Pairs("ab"), itertools.pairwise))


# tee, whose iterators share the items they have read.
print(itertools._tee, itertools._tee.__qualname__, itertools._tee.__module__,
      itertools._tee.__doc__, itertools._tee.__text_signature__,
      inspect.signature(itertools._tee))
print(sorted(set(dir(itertools._tee)) - set(dir(object))))
for name in ("__next__", "__copy__", "__iter__", "__setstate__"):
    print(name, getattr(itertools._tee, name).__qualname__,
          getattr(itertools._tee, name).__doc__)
print(itertools.tee.__name__, itertools.tee.__qualname__, itertools.tee.__module__,
      itertools.tee.__doc__)
first, second = itertools.tee("abcdef")
print(type(first), type(first) is type(second), isinstance(first, itertools._tee),
      weakref.ref(first)() is first, iter(first) is first)
print(next(first), next(first), next(second))
print(type(copy.copy(first)) is type(first), list(copy.copy(first)), list(first),
      list(second))
made = itertools._tee("xyz")
copied = itertools._tee(made)
print(next(made), list(copied), list(made))
print([list(each) for each in itertools.tee(iter("pqr"), 3)], itertools.tee("a", 0))
print([type(each) is type(first) for each in itertools.tee(first, 3)])
show_errors(lambda: itertools.tee(), lambda: itertools.tee("a", -1), lambda: itertools.tee(1),
            lambda: itertools._tee(1), lambda: type("Tee", (itertools._tee,), {}))
show_failure(itertools.tee(failing())[0])


def split_stacks():
    ahead, behind = itertools.tee(stacks())
    return next(ahead), next(behind), next(behind)


print(split_stacks())
ahead, behind = itertools.tee("mnop")
next(ahead)
for again in copies(ahead):
    print(type(again) is type(ahead), list(again))


def split():
    ahead, behind = itertools.tee(Counting())
    return next(ahead), list(behind)


sys.setprofile(profiler)
split()
sys.setprofile(None)
print(events)


# groupby, whose groups read its iterator.
for kind in (itertools.groupby, itertools._grouper):
    print(kind, kind.__qualname__, kind.__module__, kind.__doc__, kind.__text_signature__)
    print(" ", sorted(set(dir(kind)) - set(dir(object))))
    for name in ("__next__", "__iter__", "__reduce__"):
        print(" ", name, getattr(kind, name).__qualname__, getattr(kind, name).__doc__)
print(inspect.signature(itertools.groupby))
grouped = itertools.groupby("aabbbc")
key, group = next(grouped)
print(key, type(group), isinstance(group, itertools._grouper), iter(group) is group,
      list(group), [(key, list(group)) for key, group in grouped])
print([(key, list(group)) for key, group in itertools.groupby(range(10), lambda x: x // 3)])
grouped = itertools.groupby("aabb")
(_, first), (_, second) = next(grouped), next(grouped)
print(list(first), list(second))
show_errors(lambda: itertools._grouper(1, 2), lambda: type("G", (itertools._grouper,), {}),
            lambda: itertools.groupby(1),
            lambda: next(itertools.groupby(["a"], lambda value: value + 1)))


def keyed_stacks():
    grouped = itertools.groupby([1, 2], stacks_of_a_key)
    key, group = next(grouped)
    return key, [next(group) for _ in range(1)]


def stacks_of_a_key(value):
    return value, [frame.name for frame in traceback.extract_stack()][-3:]


print(keyed_stacks())
del events[:]
sys.setprofile(profiler)
[(key, list(group)) for key, group in itertools.groupby([1, 1, 2], abs)]
sys.setprofile(None)
print(events)
grouped = itertools.groupby("aabbc")
key, group = next(grouped)
for again in copies(grouped):
    print(type(again) is type(grouped), [(key, list(group)) for key, group in again])
grouped = itertools.groupby("aabbc")
key, group = next(grouped)
for again in copies(group):
    print(type(again) is type(group), list(again))
next(grouped)
print(list(copies(group)[0]))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    print(group.__reduce__()[0])

# Advanced again from within (the same thread), and a `tee` iterator read while another
# thread's reads the iterator they share: as in CPython.
class Reentering:
    def __init__(self):
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.count += 1
        return next(again) if self.count == 1 else self.count


again = itertools.cycle(Reentering())
print([next(again) for _ in range(4)])
again, other = itertools.tee(Reentering())
try:
    next(again)
except RuntimeError as error:
    print("RuntimeError", error)
started, finish = threading.Event(), threading.Event()


class Waiting:
    def __iter__(self):
        return self

    def __next__(self):
        started.set()
        finish.wait()
        return "read"


reading, waiting = itertools.tee(Waiting())
reader = threading.Thread(target=lambda: print("the other thread:", next(reading)))
reader.start()
started.wait()
try:
    next(waiting)
except RuntimeError as error:
    print("RuntimeError", error)
finish.set()
reader.join()
print(next(waiting))
