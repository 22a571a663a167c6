"""Host C functions that crash the process when threads share what they work on, and
what the guest calls instead while it runs threads, on the hosts with the crash.

Free-threaded CPython 3.13 runs some C code of its standard library without
taking the locks of the containers it reads: while another thread changes
the list, a `heapq` function reading it, and the JSON encoder reading a
list or dict, can use an item already freed and crash the process, where
CPython with a GIL raises an exception or gives some result. Each of those
modules keeps its pure-Python code, which CPython runs where the C module
is missing, and which reaches the containers only through their own
operations, each taken under the container's lock. So on those hosts
(`NEEDED`, where generators are guarded too) the guest's copy of `_heapq`
has functions, and its `_json` a `make_encoder`, that call the C function
while the guest runs no thread but the main one (`_thread._count()`, the
threads started through `_thread` still running) and the pure-Python code
otherwise. A single-threaded program pays one Python-level call per call
(the figures are in docs/hosts.md); a threaded one the pure-Python code's
speed, and tracers and tracebacks see its frames (`heapq.py`,
`json/encoder.py`) as they would under a CPython without the C module.

The pure-Python functions are those of the guest's own module (`heapq`,
`json.encoder`): the module's source is run again with its C module
missing, once, when a thread first needs it; where that cannot be done (the
guest has not imported the module, or removed it), the C function is called.

Some C iterators of `itertools` crash those hosts when threads advance one
at once (workers draining a shared `product`, a shared `cycle` handing out
servers in turn): they keep their position in fields that `__next__` reads
and writes without a lock. An object's type is chosen when it is made (often
before the threads that share it start), so the guest's `itertools` has, for
those types, subclasses that are the C types until the guest starts its
first thread (`_when_threads_start`), and whose `__next__` then takes the
object's own lock around the C `__next__`, as a later free-threaded CPython
takes the object's critical section: the class has the C type's name, module
and documentation, and the lock is a slot whose name the class does not
show. `tee`'s iterators, of a type that cannot be subclassed, are objects of
a class of gilless's holding the C object and the lock of all the iterators
that share its items (`_guard_tee`), from the start (one made before the
threads start may be shared by them, and could not become one of those), and
so are `csv` readers, with a lock each (`_guard_csv_reader`), and a
`groupby`'s groups, from the first thread on, which share the `groupby`
object's (`_guard_groupby`). Where the C `__next__` calls code of
the guest's (the iterator or function it was given), the frames it starts
follow the frame that called `next`, as in CPython (see
`generators.call_from_caller`). That code runs under the lock: a second
thread waits for it, as for a critical section (the thread that holds it may
take it again, and advance the object from within, as CPython lets it), but
where CPython suspends a critical section while its thread blocks, this lock
stays held, so an iterator whose `__next__` waits for another thread that is
itself waiting to advance the same object would hang (CPython with a GIL
would run the two `__next__` at once).

`OrderedDict`'s C methods change and read the list that keeps the order of
its keys without a lock, and threads changing one crash those hosts or loop
for ever. The guest's `OrderedDict` is a subclass of the C type, with a slot
for a lock and, until the guest starts its first thread, nothing else: a
program that runs no thread pays nothing. The guest's `_thread` then gives it
methods that call the C ones under the object's lock, and views and iterators
of classes of gilless's around the C ones that take that lock too
(`_lock_ordered_dicts`). The program's code they call (a key's `__hash__`)
starts frames that follow the caller's while a tracer, a profiler or a
monitoring tool is on; with none on, above the method's (half the price).
"""

import _io
import os
import sys
from _thread import RLock, _count, allocate_lock

from gilless.base import frames, hostbuild, hoststack, startimage
from gilless.base.hosttypes import MethodType
from gilless.base.state import world
from gilless.concurrency import generators
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.systrace import call_untraced, thread_ending
from gilless.module.sysmonitoring import call_unmonitored
from gilless.module.threadmodule import check_start_arguments

# Guarded where generators are.
NEEDED = hostbuild.CRASHES_ON_SHARING

# Threads of gilless's own (the thread profiler's sampler), which `_count` counts too.
_own_threads = 0

# The switch: the C function while the guest's main thread runs alone, else the
# pure-Python one (`threaded()`); what either raises reaches the guest without this frame,
# and the C function checks the arguments, with its own messages.
_SWITCH = """
def _make(_c_function, _threaded):
    def switch(*args, **kwargs):
        try:
            if _count() > _own_threads:
                return _threaded()(*args, **kwargs)
            return _c_function(*args, **kwargs)
        except BaseException as _gilless_error:
            _gilless_error.__traceback__ = _strip(_gilless_error.__traceback__)
            raise
    return switch
"""
_switch_globals = {"_count": _count, "_own_threads": _own_threads,
                   "_strip": frames.without_internal_frames}
exec(startimage.compiled(_SWITCH, __file__), _switch_globals)


def own_thread_started():
    """Called by a thread of gilless's own, started through `_thread`, as it starts."""
    global _own_threads
    _own_threads += 1
    _switch_globals["_own_threads"] = _own_threads


def _make_switch(c_function, threaded, reported):
    switch = _named_as(_switch_globals["_make"](c_function, threaded), c_function)
    if reported:
        # A profiler sees a call of the C function, as in CPython.
        frames.BUILTIN_CALLS[switch.__code__] = lambda frame: c_function
    return switch


def _named_as(function, c_function):
    """Python function `function`, named as C function `c_function` (and documented)."""
    name = c_function.__name__
    function.__code__ = function.__code__.replace(co_name=name, co_qualname=name)
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(function, attribute, getattr(c_function, attribute))
    return function


def patch_module(name, module):
    """Give the guest's copy of host C module `name` the switching functions and the
    guarded iterator types."""
    guarded = _GUARDED.get(name)
    if guarded is not None:
        python_module, function_names, threaded_getter, reported = guarded
        for function_name in function_names:
            c_function = getattr(module, function_name, None)
            if c_function is not None:
                threaded = threaded_getter(python_module, name, function_name, c_function)
                setattr(module, function_name, _make_switch(c_function, threaded, reported))
    for type_name, calls_guest_code in _GUARDED_ITERATORS.get(name, ()):
        c_type = getattr(module, type_name, None)
        if isinstance(c_type, type):
            guarded, lock_of, new_lock = _guarded_iterator_type(c_type)
            setattr(module, type_name, guarded)
            if type_name == "groupby":
                _guard_groupby(module, guarded, lock_of, new_lock)
            else:
                _lock_next(guarded, c_type, lock_of, new_lock, calls_guest_code)
    if name == "itertools":
        _guard_tee(module)
    elif name == "_csv":
        _guard_csv_reader(module)
    elif name == "_collections":
        _guard_ordered_dict(module)
    elif name == "_thread":
        guard_thread_starters(module)


# The `__next__` of a guarded iterator type, compiled in the generator guard's globals
# (where `call_from_caller`'s code finds what it reads); `{call}` calls `_c_next` with
# the object (a subclass's) or the C object inside it (`_inner(self)`, a wrapper's), and
# returns its value, or assigns it to `result` for `{after}` to return.
_ITERATOR_STEP = """
def _make(_c_next, _lock_of, _new_lock, _inner, _wait, _busy, _after, _mode_of):
    def __next__(self):
        try:
            try:
                lock = _lock_of(self)
            except AttributeError:
                lock = _new_lock(self)
            if not lock.acquire(True, _wait):
                raise _busy()
            try:
{call}
            finally:
                lock.release()
{after}
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise
    return __next__
"""
# What a `__next__` whose C `__next__` gives a `groupby`'s (key, group) returns: the
# group inside a wrapper that takes the `groupby`'s lock.
_WRAPPING_THE_GROUP = "            return result[0], _after(result[1], lock)"
_LOCK_SLOT = "_lock"
# How long a `tee` iterator waits for another thread's before raising, in seconds: longer
# than any of its C `__next__` calls that runs no code of the program's.
_BUSY_WAIT = 1.0
# Held while an iterator's lock is made, on its first `__next__`.
_making_locks = allocate_lock()


def _guarded_iterator_type(c_type):
    """A subclass of C iterator type `c_type` that looks like it, with a slot for a lock;
    also what reads an object's lock, and what gives it, made if need be."""
    guarded, (lock_slot,) = _standing_for(c_type, (c_type,), {}, (_LOCK_SLOT,))
    lock_of, new_lock = _lock_functions(lock_slot)
    return guarded, lock_of, new_lock


def _lock_next(guarded, c_type, lock_of, new_lock, calls_guest_code):
    """Make `guarded`'s `__next__` take the object's own lock once the guest has started
    a thread (before, it is the C type's own); where `calls_guest_code`, the frames that
    the C `__next__` starts follow its caller's."""
    def lock_next():
        guarded.__next__ = _locked_next(c_type, lock_of, new_lock, calls_guest_code)

    _when_threads_start(lock_next)


def _lock_functions(lock_slot):
    """What reads an object's lock from slot `lock_slot`, and what gives it, made if need
    be (on the object's first use)."""
    lock_of, set_lock = lock_slot.__get__, lock_slot.__set__

    def new_lock(guarded_object):
        with _making_locks:
            try:
                return lock_of(guarded_object)
            except AttributeError:
                lock = RLock()
                set_lock(guarded_object, lock)
                return lock

    return lock_of, new_lock


def _locked_next(c_type, lock_of, new_lock, calls_guest_code, inner=None, busy=None,
                 after=None, mode_of=None):
    """The `__next__` of a guarded iterator type: the C type's `__next__`, of the object
    or of the C object `inner` gives, under the lock `lock_of` gives (`new_lock` where
    it has none yet); `busy`, what it raises where the lock stays taken by another
    thread for `_BUSY_WAIT` seconds (by default it waits as long as it takes); `after`,
    given a `groupby`'s group and the lock, what stands for the group. Where
    `calls_guest_code`, the frames that the C `__next__` starts follow its caller's;
    where it is `_WHILE_WATCHED`, only while a tracer, a profiler or a monitoring tool
    is on (see `generators.call_from_caller`); where it is `_BY_OBJECT`, as `mode_of`
    says of the object (one of those three)."""
    make = _step_maker(calls_guest_code, "self" if inner is None else "_inner(self)",
                       after is not None)
    step = make(c_type.__next__, lock_of, new_lock, inner,
                -1 if busy is None else _BUSY_WAIT, busy, after, mode_of)
    step.__qualname__ = f"{c_type.__qualname__}.__next__"
    step.__doc__ = c_type.__next__.__doc__
    if calls_guest_code and calls_guest_code is not _WHILE_WATCHED:
        # (No line event while the pointer is moved: see generators._make_step. One that
        # moves none keeps its line numbers: code the C `__next__` calls sees its frame
        # in the stack while no tool is on, where `inspect.stack()` reads them.)
        step.__code__ = hoststack.without_lines(step.__code__)
    return step


# Where a guarded method calls the program's code only now and then (a key's
# `__hash__`), the frames it starts follow the caller's only while a tracer, a profiler
# or a monitoring tool is on (docs/invisible.md says what that leaves).
_WHILE_WATCHED = "while watched"
# Where each object says which, as its source runs the program's code always, only now
# and then, or never (a `csv.reader`'s: see `_guard_csv_reader`).
_BY_OBJECT = "by object"
# A step's plain call of `_c_next`, and the call of a `_BY_OBJECT` step, which chooses by
# the object's mode (both indented where `_ITERATOR_STEP` has `{call}`).
_PLAIN_CALL = "{result}_c_next({argument})"
_CALL_BY_MODE = """\
mode = _mode_of(self)
if mode is False:
    {plain}
elif mode is True:
{always}
else:
{while_watched}"""


# (calls_guest_code, argument, wraps the group) -> what makes such a `__next__`.
_step_makers = {}


def _step_maker(calls_guest_code, argument, wraps_group=False):
    key = (calls_guest_code, argument, wraps_group)
    make = _step_makers.get(key)
    if make is None:
        result = "result = " if wraps_group else "return "
        plain = _PLAIN_CALL.format(result=result, argument=argument)
        if calls_guest_code is _BY_OBJECT:
            call = _CALL_BY_MODE.format(
                plain=plain,
                always=generators.call_from_caller("_c_next", argument, 4, result),
                while_watched=generators.call_from_caller("_c_next", argument, 4, result,
                                                          always=False))
            call = "\n".join(" " * 16 + line for line in call.splitlines())
        elif calls_guest_code:
            call = generators.call_from_caller("_c_next", argument, 16, result,
                                               calls_guest_code is True)
        else:
            call = " " * 16 + plain
        source = _ITERATOR_STEP.format(call=call,
                                       after=_WRAPPING_THE_GROUP if wraps_group else "")
        namespace = {}
        exec(startimage.compiled(source, __file__), generators.__dict__, namespace)
        make = _step_makers[key] = namespace["_make"]
    return make


def _standing_for(c_type, bases, namespace, slots, extra_slots=()):
    """A class with `bases` and `namespace` that looks like C type `c_type`, and the
    descriptors of its `slots`, taken out of its namespace with its `__slots__` (the
    slots stay; so do `extra_slots`, whose names stay too): named and documented as
    the C type, and made with the C type's documentation as its C code keeps it, the
    signature first, which `__text_signature__` reads."""
    name, doc, signature = c_type.__name__, c_type.__doc__, c_type.__text_signature__
    cls = type(name, bases, {
        **namespace, "__slots__": (*slots, *extra_slots), "__module__": c_type.__module__,
        "__qualname__": c_type.__qualname__,
        "__doc__": f"{name}{signature}\n--\n\n{doc}" if signature and doc else doc})
    cls.__doc__ = doc
    descriptors = [cls.__dict__[slot] for slot in slots]
    for slot in (*slots, "__slots__"):
        delattr(cls, slot)
    _named_in_messages_as(cls, c_type)
    return cls, descriptors


# A type object's `tp_name`, after the head of a variable-size object.
_TP_NAME = object.__basicsize__ + 8
# The C types whose `tp_name` a class of gilless's shares, kept while the process runs
# (a type made from a spec owns the string).
_names_shared = []


def _named_in_messages_as(cls, c_type):
    """Make the host's messages that name `cls`'s type by its C name (`tp_name`: "'x'
    object is not callable", "cannot pickle 'x' object") name it as they name
    `c_type`, the module included where the C type's has it (`itertools.cycle`), where
    a class's is its `__name__` alone."""
    if sys.maxsize < 2 ** 32 or os.name != "posix":
        return
    _names_shared.append(c_type)
    words = hoststack.memory().words
    words[(id(cls) + _TP_NAME) >> 3] = words[(id(c_type) + _TP_NAME) >> 3]


def _wrapper_class(c_type, methods, with_mode=False):
    """A class of gilless's that stands for C type `c_type`, which cannot be subclassed:
    named and documented as it, with `methods` (a `__new__` among them), its objects
    each hold a C object and a lock (slots it does not show), and `with_mode`, a mode
    (as `_locked_next`'s `mode_of` reads it). Returns the class, what makes an object of
    it (given the C object, the lock and the mode), and what reads an object's C object,
    its lock, and its mode (or None)."""
    qualified_name = f"{c_type.__module__}.{c_type.__qualname__}"

    def __init_subclass__(cls, **kwargs):
        try:
            raise TypeError(f"type '{qualified_name}' is not an acceptable base type")
        except TypeError as error:
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
            raise

    methods = dict(methods, __init_subclass__=__init_subclass__)
    for name, function in methods.items():
        if hasattr(function, "__code__"):
            function.__qualname__ = f"{c_type.__qualname__}.{name}"
            function.__doc__ = getattr(c_type, name).__doc__
    wrapper, (inner, lock, *mode) = _standing_for(
        c_type, (), methods, ("_inner", "_lock", "_mode") if with_mode else ("_inner", "_lock"),
        ("__weakref__",))
    # (Weak references to it still work; the C type shows no such attribute.)
    delattr(wrapper, "__weakref__")
    inner_of, set_inner = inner.__get__, inner.__set__
    lock_of, set_lock = lock.__get__, lock.__set__
    set_mode = mode[0].__set__ if mode else None

    def wrap(c_object, lock, mode=None):
        made = object.__new__(wrapper)
        set_inner(made, c_object)
        set_lock(made, lock)
        if set_mode is not None:
            set_mode(made, mode)
        return made

    return wrapper, wrap, inner_of, lock_of, mode[0].__get__ if mode else None


def _wrapper_type(c_type, methods, busy=None, calls_guest_code=True):
    """A `_wrapper_class` for C iterator type `c_type`, whose `__next__` is the C
    object's under the lock (see `_locked_next` for `busy` and `calls_guest_code`; with
    `_BY_OBJECT`, each object has a mode). Returns what `_wrapper_class` does."""

    def __iter__(self):
        return self

    methods = dict(methods, __iter__=__iter__)
    if "__reduce__" in vars(c_type):
        # Pickled as the C object is (until 3.14), by this class (a group that its
        # `groupby` has moved past is pickled as an empty `iter`); under the lock, since
        # the C object may read what it iterates over (an `OrderedDict`'s keys).
        def __reduce__(self):
            with lock_of(self):
                function, *rest = inner_of(self).__reduce__()
            return (wrapper if function is c_type else function, *rest)

        methods["__reduce__"] = __reduce__
    if "__setstate__" in vars(c_type):
        def __setstate__(self, state):
            inner_of(self).__setstate__(state)

        methods["__setstate__"] = __setstate__
    made = wrapper, wrap, inner_of, lock_of, mode_of = _wrapper_class(
        c_type, methods, with_mode=calls_guest_code is _BY_OBJECT)
    wrapper.__next__ = _locked_next(c_type, lock_of, RLock, calls_guest_code, inner_of, busy,
                                    mode_of=mode_of)
    return made


def _refusing_new(c_type):
    """A `__new__` for a wrapper of `c_type` that raises what calling the C type does
    (which only a function of its module makes, or nothing the program calls)."""
    def __new__(cls, *args, **kwargs):
        try:
            return c_type(*args, **kwargs)
        except BaseException as error:
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
            raise

    return __new__


def _guard_tee(module):
    """Give the guest's copy of `itertools` a `tee` whose iterators are objects of a
    `_wrapper_type`, each holding a C `_tee` and the one lock of all those that share
    its items: made by one call, or copied from one another."""
    c_tee, c_tee_type = getattr(module, "tee", None), getattr(module, "_tee", None)
    if c_tee is None or not isinstance(c_tee_type, type):
        return

    def __new__(cls, iterable, /):
        if type(iterable) is cls:
            # A copy, as the C type gives of one of its own.
            return iterable.__copy__()
        try:
            return wrap(c_tee_type(iterable), RLock())
        except BaseException as error:
            # The C type's error, without this frame.
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
            raise

    def __copy__(self):
        return wrap(inner_of(self).__copy__(), lock_of(self))

    # Another thread's `tee` iterator reading the shared iterator, as in
    # test_itertools's test_tee_concurrent: CPython raises this error (it keeps no
    # lock), where the lock would wait, forever if that thread waits for this one.
    tee_type, wrap, inner_of, lock_of, _ = _wrapper_type(
        c_tee_type, {"__new__": __new__, "__copy__": __copy__},
        lambda: RuntimeError("cannot re-enter the tee iterator"))

    def tee(*args, **kwargs):
        made = c_tee(*args, **kwargs)
        if not any(type(tee_object) is c_tee_type for tee_object in made):
            # Of an iterator with a `__copy__` of its own (a guarded `_tee`'s): its copies.
            return made
        lock = RLock()
        return tuple(wrap(tee_object, lock) if type(tee_object) is c_tee_type else tee_object
                     for tee_object in made)

    module._tee = tee_type
    module.tee = _named_as(frames.hides_frames(tee, shown_from_frame=lambda frame: c_tee),
                           c_tee)


def _guard_groupby(module, guarded, lock_of, new_lock):
    """Make the guest's `groupby` (`guarded`; `lock_of` and `new_lock` as
    `_guarded_iterator_type` gives them), once the guest has started a thread, take its
    lock in `__next__` and hand out its groups as objects of a `_wrapper_type` of
    `_grouper` (`itertools._grouper` from then on) that take it too: a group advances
    the `groupby` object's own iterator. (A group handed out before stays the C
    type's.)"""
    c_grouper_type = getattr(module, "_grouper", None)
    if not isinstance(c_grouper_type, type):
        return

    def __new__(cls, parent, tgtkey, /):
        try:
            return wrap(c_grouper_type(parent, tgtkey), new_lock(parent))
        except BaseException as error:
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
            raise

    def lock_groups():
        nonlocal wrap
        grouper_type, wrap, _, _, _ = _wrapper_type(c_grouper_type, {"__new__": __new__})
        c_groupby = guarded.__mro__[1]
        guarded.__next__ = _locked_next(c_groupby, lock_of, new_lock, True, after=wrap)
        module._grouper = grouper_type

    wrap = None
    _when_threads_start(lock_groups)


def _read_only(member, inner_of):
    """A property of a wrapper that stands for read-only `member` of the C object."""
    read = member.__get__

    def get(self):
        return read(inner_of(self))

    def refuse(self, value=None):
        try:
            raise AttributeError("readonly attribute")
        except AttributeError as error:
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
            raise

    get.__name__ = get.__qualname__ = member.__name__
    return property(get, refuse, refuse, member.__doc__)


def _guard_csv_reader(module):
    """Give the guest's copy of `_csv` a `reader` whose objects are of a `_wrapper_type`
    of the C reader type, each holding a C reader and a lock of its own (`csv.reader`
    and `csv.DictReader` are this `reader`)."""
    c_reader, c_reader_type = getattr(module, "reader", None), getattr(module, "Reader", None)
    if c_reader is None or not isinstance(c_reader_type, type):
        return

    def __reduce_ex__(self, protocol, /):
        try:
            # The C object's answer: that it cannot be pickled.
            return inner_of(self).__reduce_ex__(protocol)
        except BaseException as error:
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
            raise

    reader_type, wrap, inner_of, _, _ = _wrapper_type(
        c_reader_type,
        {"__new__": _refusing_new(c_reader_type), "__reduce_ex__": __reduce_ex__},
        calls_guest_code=_BY_OBJECT)
    for name in ("dialect", "line_num"):
        member = vars(c_reader_type).get(name)
        if member is not None:
            setattr(reader_type, name, _read_only(member, inner_of))

    def reader(*args, **kwargs):
        made = c_reader(*args, **kwargs)
        # (The C function takes its source as its first argument.)
        return wrap(made, RLock(), _READER_SOURCES.get(type(args[0]), True))

    module.Reader = reader_type
    module.reader = _named_as(
        frames.hides_frames(reader, shown_from_frame=lambda frame: c_reader), c_reader)


# What the C `__next__` of a `csv.reader` runs of the program's code, by its source's
# type (`_BY_OBJECT`): none for a list or tuple of lines or a `StringIO`; for a file that
# `open` opened, its codec's decoder, whose frames follow the caller's while a tracer, a
# profiler or a monitoring tool is on; for any other source, its own (the program's
# generator), whose frames follow the caller's always.
_READER_SOURCES = {list: False, tuple: False, _io.StringIO: False,
                   _io.TextIOWrapper: _WHILE_WATCHED}


# A method of a guarded type or of a wrapper: C method `_c_method` called with
# `{arguments}` (the object, or the C object inside it, `_inner(self)`; a binary method's
# other operand, the C object inside it where it is a wrapper of gilless's, `_other`),
# under the object's lock, and for a binary method the other's too (`_pair`). `{call}`
# returns its value, or assigns it to `result` for `{after}` to return what `_wrap` makes
# of it and the lock (an iterator or view standing for the C one).
_LOCKED_METHOD = """
def _make(_c_method, _lock_of, _new_lock, _inner, _wrap, _other, _pair):
    def method({parameters}):
        try:
            try:
                lock = _lock_of(self)
            except AttributeError:
                lock = _new_lock(self)
            except TypeError:
                lock = None
            if lock is None:
                # Not an object of the class: the C method's error.
                return _c_method(self, {passed})
{pairing}
            with lock:
{call}
{after}
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise
    return method
"""
_PAIRING = """\
            other, other_lock = _other(other)
            if other_lock is not None and other_lock is not lock:
                lock = _pair(lock, other_lock)"""

# (target, binary, wraps) -> what makes such a method.
_method_makers = {}


def _method_maker(target, binary=False, wraps=False):
    key = (target, binary, wraps)
    make = _method_makers.get(key)
    if make is None:
        namespace = {}
        exec(startimage.compiled(_method_source(*key), __file__), generators.__dict__,
             namespace)
        make = _method_makers[key] = namespace["_make"]
    return make


def _method_source(target, binary, wraps):
    passed = "other" if binary else "*args, **kwargs"
    arguments = f"{target}, {passed}"
    return _LOCKED_METHOD.format(
        parameters="self, other, /" if binary else "self, /, *args, **kwargs",
        passed=passed, pairing=_PAIRING if binary else "",
        call=generators.call_from_caller("_c_method", arguments, 16,
                                         "result = " if wraps else "return ", always=False),
        after="            return _wrap(result, lock)" if wraps else "")


class _Pair:
    """The locks of two objects, taken in one order whichever thread takes them (that of
    their addresses), as a free-threaded CPython takes two objects' critical sections."""

    __slots__ = ("_first", "_second")

    def __init__(self, lock, other_lock):
        if id(other_lock) < id(lock):
            lock, other_lock = other_lock, lock
        self._first, self._second = lock, other_lock

    def __enter__(self):
        self._first.acquire()
        try:
            self._second.acquire()
        except BaseException:
            self._first.release()
            raise

    def __exit__(self, *exc_info):
        self._second.release()
        self._first.release()


def _locked_method(cls, name, c_method, lock_of, new_lock=None, inner=None, wrap=None,
                   binary=False, other=None, reported=False, shown=None):
    """Method `name` of class `cls`: `c_method` under the object's lock (`_LOCKED_METHOD`
    says the rest), shown as `_as_method` says, as `c_method` (bound to the C object)
    or as the C method `shown` (bound to the object itself: `c_method` is then a
    function that calls C code for it)."""
    make = _method_maker("self" if inner is None else "_inner(self)", binary, wrap is not None)
    method = make(c_method, lock_of, new_lock, inner, wrap, other, _Pair)
    if shown is None:
        return _as_method(cls, name, method, c_method, reported, inner)
    return _as_method(cls, name, method, shown, reported)


def _as_method(cls, name, method, c_method, reported, inner=None):
    """`method`, named `name` in `cls`, and documented as C method `c_method` (whose
    signature `inspect.signature` finds); where `reported`, a profiler hears of a call
    of it as a call of `c_method`, bound to the object (or to the C object `inner`
    gives of it), as CPython reports a call of a method by its name."""
    qualname = f"{cls.__qualname__}.{name}"
    # (With its line numbers: it moves no pointer, and code the C method calls sees its
    # frame in the stack while no tool is on, where `inspect.stack()` reads them.)
    method.__code__ = method.__code__.replace(co_name=name, co_qualname=qualname)
    method.__name__, method.__qualname__, method.__doc__ = name, qualname, c_method.__doc__
    method.__wrapped__ = c_method
    if reported:
        c_type = c_method.__objclass__

        def bound(target):
            # (With the type: `__get__` of a method that takes its class crashes 3.11
            # without.)
            return c_method.__get__(target if inner is None else inner(target), c_type)

        frames.BUILTIN_CALLS[method.__code__] = lambda frame: bound(frame.f_locals["self"])
        # (What a monitoring tool is told of as the call starts, given the object.)
        method.__gilless_shows__ = lambda called, first: bound(
            called.__self__ if type(called) is MethodType else first)
    return method


# What the guest's first start of a thread does: guards that a program pays for only once
# it runs threads (`_when_threads_start`).
_at_first_thread = []
_threads_started = False


def _when_threads_start(install):
    if _threads_started:
        install()
    else:
        _at_first_thread.append(install)


def _first_thread():
    global _threads_started
    if not _threads_started:
        _threads_started = True
        # What gilless prepares here runs where CPython runs nothing, and may run the
        # guest's code (its `abc` registering the OrderedDict views; its modules the
        # host's table holds, which gilless's imports use): kept from the guest's
        # tracers, profilers and monitoring tools, while no other guest thread runs.
        call_untraced(call_unmonitored, _prepare_for_threads)


def _prepare_for_threads():
    from gilless.concurrency import gil
    gil.prepare_thread_reports()
    while _at_first_thread:
        _at_first_thread.pop(0)()


class _ThreadBody:
    """What a thread the guest starts runs: the guest's function, and then, as the thread
    is about to end, `systrace.thread_ending` with the thread's handle (setting a trace
    or profile function for all threads while a thread's state is deleted crashes
    those hosts). The thread's stack begins with the guest's function, as in CPython,
    which names it where it reports an exception that ends the thread."""

    __slots__ = ("function", "args", "kwargs", "handle")

    def __init__(self, function, args, kwargs, handle):
        self.function, self.args, self.kwargs, self.handle = function, args, kwargs, handle

    @property
    def __self__(self):
        # (What the tools look for in a thread's function: the Thread it bootstraps.)
        return getattr(self.function, "__self__", None)

    def __call__(self):
        try:
            hoststack.call_at_bottom(self.function, *self.args, **self.kwargs)
        except SystemExit:
            pass
        except BaseException as error:
            from gilless.concurrency import gil
            gil.report_thread_exception(self.function, error)
        finally:
            thread_ending(self.handle)


def guard_thread_starters(module):
    """The guest's `_thread`'s thread starters install the guards a program pays for once
    it runs threads, first, and run each thread's function in a `_ThreadBody`; a thread
    `start_new_thread` starts is a joinable one, as in CPython, whose handle it drops.
    (Also in the GIL mode, which needs no other guard of this module.)"""
    start_joinable = getattr(module, "start_joinable_thread", None)
    handle_type = getattr(module, "_ThreadHandle", None)
    if start_joinable is None or handle_type is None:
        return

    def start_joinable_thread(function, handle=None, daemon=True):
        _first_thread()
        if handle is None:
            handle = handle_type()
        return start_joinable(_ThreadBody(function, (), {}, handle), handle=handle,
                              daemon=daemon)

    def start_new_thread(function, args, kwargs=None, /):
        kwargs = check_start_arguments(function, args, kwargs)
        _first_thread()
        handle = handle_type()
        start_joinable(_ThreadBody(function, args, kwargs, handle), handle=handle, daemon=True)
        return handle.ident

    for starter, shown in ((start_joinable_thread, start_joinable),
                           (start_new_thread, module.start_new_thread)):
        setattr(module, starter.__name__, BuiltinFunction(starter, shown=shown))
    if hasattr(module, "start_new"):
        module.start_new = module.start_new_thread


def _guard_ordered_dict(module):
    """Give the guest's copy of `_collections` an `OrderedDict` that is a subclass of the
    C type: the C type itself, but for a slot for a lock, until the guest starts a
    thread, and then a type whose methods that read or change the order of the keys
    take the object's lock (`_lock_ordered_dicts`)."""
    c_type = getattr(module, "OrderedDict", None)
    if not isinstance(c_type, type):
        return
    guarded, (lock_slot,) = _standing_for(c_type, (c_type,), {}, (_LOCK_SLOT,))
    module.OrderedDict = guarded
    frames.stand_in_for_c_type(guarded, c_type)
    _when_threads_start(lambda: _lock_ordered_dicts(guarded, c_type, lock_slot))


# The methods of the C `OrderedDict` that read or change the order of its keys, and
# whether CPython reports calls of them to a profiler (not of those an operator calls).
# The others reach the keys through these (`update`, `__init__`, `fromkeys`, `__or__`,
# `__ior__` and `__reduce__` through `__setitem__`, `keys` or `items`; `__repr__` and
# `__eq__` of a subclass's object through `items`), or only the dict beneath (`get`,
# `__getitem__`, `__contains__`, `__len__`).
_ORDERED_DICT_METHODS = (("__setitem__", False), ("__delitem__", False), ("clear", True),
                         ("copy", True), ("move_to_end", True), ("pop", True),
                         ("popitem", True), ("setdefault", True))
_ORDERED_DICT_VIEWS = ("keys", "values", "items")
# The methods of the views of an `OrderedDict` (and of their base types) that read its
# keys, unary and binary; those a profiler hears of; and those that give an iterator.
_VIEW_UNARY = ("__len__", "__repr__")
_VIEW_BINARY = ("__contains__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
                "__and__", "__rand__", "__or__", "__ror__", "__sub__", "__rsub__", "__xor__",
                "__rxor__", "isdisjoint")
_VIEW_REPORTED = ("isdisjoint",)
_ITERATING = ("__iter__", "__reversed__")


def _lock_ordered_dicts(guarded, c_type, lock_slot):
    """Give `OrderedDict` (`guarded`, a subclass of `c_type` with `lock_slot`) the methods
    that take the object's lock, once the guest runs threads: its iterators and views
    are objects of wrappers of gilless's that stand for the C ones and take the
    `OrderedDict`'s lock."""
    lock_of, new_lock = _lock_functions(lock_slot)
    sample = c_type()
    c_iterator_type = type(iter(sample))
    _, wrap_iterator, _, _, _ = _wrapper_type(
        c_iterator_type, {"__new__": _refusing_new(c_iterator_type)},
        calls_guest_code=_WHILE_WATCHED)
    wrappers = {}

    def unwrapped(operand):
        # A wrapped view's C view and lock, or an `OrderedDict` and its lock.
        wrapper = wrappers.get(type(operand))
        if wrapper is not None:
            inner_of, lock_of_view = wrapper
            return inner_of(operand), lock_of_view(operand)
        if isinstance(operand, guarded):
            try:
                return operand, lock_of(operand)
            except AttributeError:
                return operand, new_lock(operand)
        return operand, None

    for view_name in _ORDERED_DICT_VIEWS:
        c_view_type = type(getattr(sample, view_name)())
        view_type, wrap_view, view_inner, view_lock_of = _view_wrapper(c_view_type)
        wrappers[view_type] = (view_inner, view_lock_of)
        for name in _VIEW_UNARY + _VIEW_BINARY + _ITERATING:
            # (Not those that only `object` has: a values view has no comparisons.)
            c_method = next((vars(base)[name] for base in c_view_type.__mro__[:-1]
                             if name in vars(base)), None)
            if c_method is not None:
                setattr(view_type, name, _locked_method(
                    view_type, name, c_method, view_lock_of, inner=view_inner,
                    wrap=wrap_iterator if name in _ITERATING else None,
                    binary=name in _VIEW_BINARY, other=unwrapped,
                    reported=name in _VIEW_REPORTED))
        _register_view(view_name, view_type)
        setattr(guarded, view_name, _locked_method(
            guarded, view_name, getattr(c_type, view_name), lock_of, new_lock,
            wrap=wrap_view, reported=True))
    for name, reported in _ORDERED_DICT_METHODS:
        setattr(guarded, name, _locked_method(guarded, name, getattr(c_type, name), lock_of,
                                              new_lock, reported=reported))
    for name in _ITERATING:
        setattr(guarded, name, _locked_method(guarded, name, getattr(c_type, name), lock_of,
                                              new_lock, wrap=wrap_iterator))
    for name in ("__eq__", "__ne__"):
        setattr(guarded, name, _locked_method(guarded, name, getattr(c_type, name), lock_of,
                                              new_lock, binary=True, other=unwrapped))


def _view_wrapper(c_view_type):
    """A `_wrapper_class` for C view type `c_view_type`, with its `mapping` and, where it
    compares, no hash; the methods are `_lock_ordered_dicts`'s."""
    def mapping(self):
        return inner_of(self).mapping

    namespace = {"__new__": _refusing_new(c_view_type), "mapping": property(mapping)}
    if c_view_type.__hash__ is None:
        namespace["__hash__"] = None
    wrapper, wrap, inner_of, lock_of, _ = _wrapper_class(c_view_type, namespace)
    return wrapper, wrap, inner_of, lock_of


# View name -> the guest's `collections.abc` class its objects are registered with, as
# the C views are (through the `dict` views, their base types).
_VIEW_ABCS = {"keys": "KeysView", "values": "ValuesView", "items": "ItemsView"}


def _register_view(view_name, view_type):
    abcs = world.modules.get("_collections_abc")
    abc = getattr(abcs, _VIEW_ABCS[view_name], None)
    if abc is not None:
        try:
            # (The guest's code, `abc`'s, which no tracer of the guest's sees run here.)
            call_untraced(abc.register, view_type)
        except Exception:
            # What the program put there (it may replace `register`) cannot stop its
            # thread from starting; the views stay unregistered.
            pass


# Guest module name -> the namespace its source made with its C module missing ({}
# where that failed).
_pure_namespaces = {}


def _pure_namespace(module_name, c_module_name):
    """The namespace, or None while the guest has no such module."""
    namespace = _pure_namespaces.get(module_name)
    if namespace is None:
        module = world.modules.get(module_name)
        if module is None:
            return None
        namespace = _pure_namespaces[module_name] = _run_without(module, c_module_name)
    return namespace


def _run_without(module, c_module_name):
    """The namespace made by the guest module's source run again without its C module.

    The code is compiled as the host compiles it, without the generator guard: its
    generators (the JSON encoder's) never leave the call that makes them, and the guard
    made the encoder ten times slower again."""
    path = getattr(module, "__file__", None)
    try:
        spec = module.__spec__
        code = compile(spec.loader.get_source(spec.name), path, "exec", dont_inherit=True,
                       optimize=world.compile_options.optimize)
    except Exception:
        return {}
    guest_import = world.builtins["__import__"]

    def import_without(name, *args, **kwargs):
        if name == c_module_name:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return guest_import(name, *args, **kwargs)

    builtins = dict(world.builtins, __import__=import_without)
    namespace = {"__name__": spec.name, "__file__": path, "__package__": spec.parent,
                 "__builtins__": builtins}
    try:
        exec(code, namespace)
    except Exception:
        return {}
    return namespace


def _pure_function_getter(module_name, c_module_name, name, c_function):
    function = None

    def threaded():
        nonlocal function
        if function is None:
            namespace = _pure_namespace(module_name, c_module_name)
            if namespace is None:
                return c_function
            function = namespace.get(name, c_function)
        return function
    return threaded


_INFINITY = float("inf")


def _float_text(number, allow_nan):
    # What json.encoder's JSONEncoder gives its pure-Python encoder for a float.
    if number != number:
        text = "NaN"
    elif number == _INFINITY:
        text = "Infinity"
    elif number == -_INFINITY:
        text = "-Infinity"
    else:
        return float.__repr__(number)
    if not allow_nan:
        raise ValueError("Out of range float values are not JSON compliant: " + repr(number))
    return text


# allow_nan -> the encoder's function of a float, made when first needed.
_float_texts = {}


def _float_text_function(allow_nan):
    function = _float_texts.get(allow_nan)
    if function is None:
        def float_text(number):
            return _float_text(number, allow_nan)
        function = _float_texts[allow_nan] = frames.hides_frames(float_text, reported=False)
    return function


def _json_encoder_maker(module_name, c_module_name, name, c_make_encoder):
    """What makes the encoder while threads run: the pure-Python one that
    `json.encoder` makes where `_json` has no encoder, given what the C one is given
    (which checks the arguments first, raising the C encoder's errors)."""

    def make_python_encoder(markers, default, encoder, indent, key_separator,
                            item_separator, sort_keys, skipkeys, allow_nan):
        c_encoder = c_make_encoder(markers, default, encoder, indent, key_separator,
                                   item_separator, sort_keys, skipkeys, allow_nan)
        namespace = _pure_namespace(module_name, c_module_name)
        make_iterencode = namespace and namespace.get("_make_iterencode")
        if make_iterencode is None:
            return c_encoder
        return make_iterencode(markers, default, encoder, indent,
                               _float_text_function(bool(allow_nan)), key_separator,
                               item_separator, sort_keys, skipkeys, True)

    return lambda: make_python_encoder


# The C module -> the guest module whose pure-Python code stands in, the names of the
# functions guarded (those a host has), what gives a switch its pure-Python function,
# and whether a profiler hears of a call (not of `_json.make_encoder`'s, a class's).
_GUARDED = {
    "_heapq": ("heapq", ("heappush", "heappop", "heapify", "heapreplace", "heappushpop",
                         "_heappop_max", "_heapify_max", "_heapreplace_max", "heappush_max",
                         "heappop_max", "heapify_max", "heapreplace_max",
                         "heappushpop_max"), _pure_function_getter, True),
    "_json": ("json.encoder", ("make_encoder",), _json_encoder_maker, False),
}

# The guest imports `itertools` (and `_heapq`) after the start-up image is written: the
# templates those need are compiled now, so that the image keeps their code for the
# next start-up (each compile costs 0.1 to 0.3 ms).
for _form in ((False, "self"), (True, "self"), (True, "_inner(self)"), (True, "self", True),
              (_WHILE_WATCHED, "_inner(self)"), (_BY_OBJECT, "_inner(self)")):
    _step_maker(*_form)
# (And, not loaded now, those the `OrderedDict` guard needs when the guest starts its
# first thread.)
for _form in (("self", False, False), ("self", False, True), ("self", True, False),
              ("_inner(self)", False, False), ("_inner(self)", False, True),
              ("_inner(self)", True, False)):
    startimage.keep(_method_source(*_form), __file__)
del _form

# The C iterator types that crash when threads advance one object at once (measured on
# 3.13.5t): module -> (type name, whether its `__next__` calls code it was given).
# (`groupby`'s groups: see `_guard_groupby`; `tee`'s objects: `_guard_tee`.)
_GUARDED_ITERATORS = {
    "itertools": (("product", False), ("permutations", False), ("combinations", False),
                  ("combinations_with_replacement", False), ("cycle", True),
                  ("pairwise", True), ("zip_longest", True), ("accumulate", True),
                  ("groupby", True)),
}
