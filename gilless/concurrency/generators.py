"""Guest generators behind a lock, on hosts that crash when two threads advance one
generator at once (see `gilless.compiler.generatorguard`, which decides where).

A guarded generator is the host generator inside a `Generator`, which
takes the generator's own lock without waiting around each step (`__next__`,
`send`, `throw`, `close`): a second thread that finds it taken gets
CPython's `ValueError: generator already executing`, as a generator that
calls itself does. To the guest it stays a generator: `isinstance` against
`types.GeneratorType` and `inspect` say so, and its attributes, repr and
errors are the host generator's (the exceptions it raises carry no frame of
this module; setting an attribute gives the host generator's errors), and its
type is named `generator`; `type(g) is types.GeneratorType` alone tells it
apart, and C code that takes a host generator only refuses it (but for
CPython's test helper in `_TAKE_HOST_GENERATOR`, given the host's inside). A
generator function is wrapped in a `GeneratorFunction`, which passes as the
function (`inspect.isgeneratorfunction`, signature, binding as a method,
attributes; its type is named `function`) and guards each generator it makes.

`yield from` hands the delegating generator a guarded one's host generator,
its lock taken for good (`guard_delegation`): the delegation is the host's,
so the inner frame follows the outer's and a signal reaches the innermost,
and it is serialised by the outer generator's own lock. A generator advanced
by any step runs above the frame that advanced it, as in CPython (see `_STEP`).

The price is one Python-level call and a lock per step of a generator, on
those hosts only, and the moving of the host's current-frame pointer; the
figures are in docs/hosts.md.
"""

import _thread
import builtins
import sys
from _weakref import getweakrefcount as _getweakrefcount
from sys import (_getframe, getprofile as _getprofile, getrefcount as _getrefcount,
                 gettrace as _gettrace)

from gilless.base import hoststack, startimage
from gilless.base.frames import (BUILTIN_CALLS, FUNCTION_STAND_INS, INSERTED_CALLS,
                                 without_internal_frames)
from gilless.base.hostimports import host_module
from gilless.base.hoststack import call_above
from gilless.base.hosttypes import FunctionType, GeneratorType, MethodType
from gilless.module.builtinfunction import BuiltinFunction

if hasattr(sys, "monitoring"):
    # (Its `callbacks` are read inline: a call of `has_callbacks` took 0.11 us against
    # 0.04 us on 3.13t, in a guarded `OrderedDict` method of 0.8 us.)
    from gilless.module.sysmonitoring import state as _monitoring
else:
    class _monitoring:
        callbacks = None

# A generator function made into a coroutine by @types.coroutine: what `await` takes.
_CO_ITERABLE_COROUTINE = 0x100


class _NoFrameLinks:
    """Where the host's current-frame pointer is not known: no thread has its links."""

    links = None


# Per thread, what finds the host's current-frame pointer, which a step moves (see
# `follow_callers` and hoststack.frame_links).
_frames = _NoFrameLinks()


class Generator:
    # __qualname__ as a slot: a class cannot hold that name as a property.
    __slots__ = ("_generator", "_lock", "__qualname__", "__weakref__")

    def __setattr__(self, name, value):
        # The host generator's errors: names must be strings, the gi_ attributes are
        # read-only, and it has no others.
        setattr(self._generator, name, value)
        if name == "__qualname__":
            _set_qualname(self, value)

    def __delattr__(self, name):
        delattr(self._generator, name)

    @property
    def __class__(self):
        return GeneratorType

    def __repr__(self):
        return repr(self._generator)

    def __reduce_ex__(self, protocol):
        return self._generator.__reduce_ex__(protocol)

    # Properties rather than __getattr__, which would cost every step 50 ns more.
    gi_code = property(lambda self: self._generator.gi_code)
    gi_frame = property(lambda self: self._generator.gi_frame)
    gi_running = property(lambda self: self._generator.gi_running)
    gi_suspended = property(lambda self: self._generator.gi_suspended)
    gi_yieldfrom = property(lambda self: _guarded(self._generator.gi_yieldfrom))
    __name__ = property(lambda self: self._generator.__name__)


_set_qualname = Generator.__dict__["__qualname__"].__set__


def _generator_init():
    # The slots are set through their descriptors, as the class's __setattr__ is the
    # guest's view; read from the closure, which is faster than globals.
    set_generator = Generator._generator.__set__
    set_lock = Generator._lock.__set__
    set_qualname = _set_qualname
    allocate_lock = _thread.RLock

    def __init__(self, generator):
        set_generator(self, generator)
        set_lock(self, allocate_lock())
        set_qualname(self, generator.__qualname__)

    return __init__


Generator.__init__ = _generator_init()
Generator.__init__.__qualname__ = "Generator.__init__"


# The instructions that take an iterator of an object and then alone advance it, in the
# calling thread, as the host's code numbers them: a `for` loop's or a comprehension's
# GET_ITER, and the unpacking of `a, b = g`, `a, *b = g`, `[*g]`, `{*g}` and `f(*g)`
# (measured on 3.13; on a host not listed every generator stays behind its guard).
_SOLE_CONSUMERS = {(3, 13): frozenset({19, 117, 116, 81, 107, 54})}.get(sys.version_info[:2])
# What sys.getrefcount says in `__iter__` of a guarded generator to which such an
# instruction holds the only reference: the instruction's, the method's and the count's
# argument.
_ONLY_THE_CONSUMERS = 3


def _iter_to_sole_consumer(self):
    # The generator itself; or, where an instruction that alone advances what it gets
    # holds the only reference to this guarded generator (and no weak reference can
    # give another), its host generator with the lock taken for good, as
    # `guard_delegation` hands it over: no other thread can reach it, so the loop runs
    # the host's generator at the host's speed, its frames following the loop's as
    # the host links them, and no step of the guard's between.
    try:
        frame = _getframe(1)
    except ValueError:
        # (Called by C code with no Python frame beneath, in a thread of its own.)
        return self
    if (frame.f_code.co_code[frame.f_lasti] in _SOLE_CONSUMERS
            and _getrefcount(self) == _ONLY_THE_CONSUMERS and not _getweakrefcount(self)
            and self._lock.acquire(False)):
        return self._generator
    return self


def _iter_self(self):
    return self


Generator.__iter__ = _iter_self if _SOLE_CONSUMERS is None else _iter_to_sole_consumer
Generator.__iter__.__name__ = "__iter__"
Generator.__iter__.__qualname__ = "Generator.__iter__"


def _watched_step(step, *args, **kwargs):
    """A step taken while a tracer or profiler (or a monitoring tool, for the call of a
    `call_from_caller` not `always`) is on: the generator's frame follows the frame
    that advanced it, as the host's does, not the step's (`profile` checks it, `trace`
    counts callers by it)."""
    return call_above(_getframe(2), step, *args, **kwargs)


# The four steps, `__next__`, `send`, `throw` and `close`, made from one source: a
# helper shared by them would add a call to each step. With no tracer or profiler on,
# the generator's frame follows the frame that advanced it, as the host's does, not the
# step's (whose frame a stack taken in the generator's body would show): the step
# moves the host's current-frame pointer to the frame beneath its own for the call
# (hoststack.frame_links), at the cost of four reads and two writes of memory, through
# objects of the thread's own.
_STEP = """
def {name}(self{parameters}):
    lock = self._lock
    stepping = False
    try:
        if not lock.acquire(False):
            # Taken while the generator has finished: by a `yield from` that has ended
            # (see guard_delegation); the host's step only raises or returns then.
            if self._generator.gi_frame is not None:
                raise ValueError("generator already executing")
            return self._generator.{name}({arguments})
        stepping = True
        try:
{call}
        finally:
            lock.release()
    except BaseException as error:
        if not stepping and lock._is_owned():
            # A signal's handler raised as `acquire` returned, before the step began.
            lock.release()
        error.__traceback__ = without_internal_frames(error.__traceback__)
        raise
"""

# The call `{function}({arguments})` from a step, whatever frame the call starts
# following the frame beneath the step's (see _STEP), its value returned or assigned
# (`{result}`); code in this module's globals, indented to go where a step's template
# has `{call}`, which `call_from_caller` fills.
_CALL_FROM_CALLER = """\
if _gettrace() is None and _getprofile() is None:
    links = _frames.links
    if links is None:
        {result}{function}({arguments})
    else:
        index, words, below, entry = links
        moving = words[index]
        previous = below[moving >> 3]
        if words[previous >> 3] == entry:
            previous = below[previous >> 3]
        words[index] = previous
        try:
            {result}{function}({arguments})
        finally:
            words[index] = moving
else:
    {result}_watched_step({function}{watched_arguments})
"""


# The same, where the frame follows the caller's only while a tracer, a profiler or a
# monitoring tool may be told of it: with none on, the call starts frames above the
# step's (which the code it runs sees in its stack), saving the pointer's moving (about
# half the price of a locked call).
_CALL_FROM_CALLER_WHEN_WATCHED = """\
if _gettrace() is None and _getprofile() is None and not _monitoring.callbacks:
    {result}{function}({arguments})
else:
    {result}_watched_step({function}{watched_arguments})
"""


def call_from_caller(function, arguments, indent, result="return ", always=True):
    """The source of a step's call of `function` with `arguments` (source text too),
    whose value it returns (or, with `result` "name = ", assigns), indented by `indent`
    spaces, for a template compiled in this module's globals; not `always`, the frames
    it starts follow the caller's only while a tracer, a profiler or a monitoring tool
    is on."""
    template = _CALL_FROM_CALLER if always else _CALL_FROM_CALLER_WHEN_WATCHED
    source = template.format(function=function, arguments=arguments, result=result,
                             watched_arguments=arguments and ", " + arguments)
    return "\n".join(" " * indent + line for line in source.splitlines())


def _make_step(name, parameters="", arguments=""):
    namespace = {}
    source = _STEP.format(name=name, parameters=parameters and ", " + parameters,
                          arguments=arguments,
                          call=call_from_caller(f"self._generator.{name}", arguments, 12))
    # In this module's globals, where `follow_callers` sets `_frames`.
    exec(startimage.compiled(source, __file__), globals(), namespace)
    step = namespace[name]
    step.__qualname__ = f"Generator.{name}"
    # No line numbers: no `line` event of a step reaches a tracer that the generator's
    # body installs while the pointer is moved (which the host would report as the
    # advancing frame's).
    step.__code__ = hoststack.without_lines(step.__code__)
    setattr(Generator, name, step)
    if name != "__next__":
        # A profiler or a monitoring tool sees `g.send(x)` as CPython shows it, a call of
        # the host generator's C method (the slot `__next__` is no such call).
        BUILTIN_CALLS[step.__code__] = lambda frame: getattr(frame.f_locals["self"]._generator,
                                                             name)
        step.__gilless_shows__ = lambda called, first: getattr(
            (called.__self__ if type(called) is MethodType else first)._generator, name)


_make_step("__next__")
_make_step("send", "value, /", "value")
_make_step("throw", "*arguments", "*arguments")
_make_step("close")

# The host generator's documentation (`help(g.send)`).
for _name in ("__iter__", "__next__", "send", "throw", "close", "__repr__"):
    getattr(Generator, _name).__doc__ = getattr(GeneratorType, _name).__doc__
del _name


def follow_callers():
    """Let steps move the host's current-frame pointer, where the host's layout is known
    (after `hoststack.install`)."""
    global _frames
    links = hoststack.frame_links()
    if links is not None:
        _frames = links


def guard_generator(generator):
    """`__gilless_generator__`: a generator expression's generator, guarded."""
    return Generator(generator)


# The ids of the built-ins that advance alone what they are given, and of those that make
# an iterator of it (generatorguard.EAGER_CONSUMERS, LAZY_CONSUMERS), set by
# `add_guard_names`.
_eager_consumers = _lazy_consumers = frozenset()
# What sys.getrefcount says in `consumed_by` of a guarded generator that only the call
# holds: the parameter's and the count's argument.
_ONLY_THE_CALL = 2


def _built_in_chain(consumers):
    """Whether `consumers` (see generatorguard._guard_consumed: an eager built-in or None
    for a loop, then built-ins that make iterators) are those built-ins themselves."""
    first = consumers[0]
    if first is not None and id(first) not in _eager_consumers:
        return False
    for consumer in consumers[1:]:
        if id(consumer) not in _lazy_consumers:
            return False
    return True


def guard_generator_for(consumers, generator):
    """`__gilless_generator_for__`: the generator of a generator expression that only
    `consumers` advance; guarded unless they are the built-ins that advance it alone
    (so that no other thread can reach it)."""
    if _built_in_chain(consumers):
        return generator
    return Generator(generator)


def consumed_by(consumers, value):
    """`__gilless_consumed_by__`: the value of a call that only `consumers` advance: where
    it is a guarded generator that nothing else holds and they are the built-ins that
    advance it alone, its host generator, the lock taken for good (as `__iter__` hands
    it to a loop)."""
    if (type(value) is Generator and _SOLE_CONSUMERS is not None
            and _getrefcount(value) == _ONLY_THE_CALL and not _getweakrefcount(value)
            and _built_in_chain(consumers) and value._lock.acquire(False)):
        return value._generator
    return value


# Guarded generators that a `yield from` delegates to, by their host generator's id
# (made by the first delegation: `weakref` is not imported at every start-up).
_delegated = None
_delegated_made = _thread.allocate_lock()


def guard_delegation(iterable):
    """`__gilless_yield_from__`: what `yield from iterable` delegates to. A guarded
    generator's own host generator, whose lock is taken for good (the delegating
    generator's own lock then keeps two threads from advancing it at once), so
    that the delegation is the host's: the inner generator's frame follows the
    outer's and a signal reaches the innermost, as in CPython, with no guard's
    step between them at each step. What differs: once the delegation is over,
    the inner generator has finished (else it could be advanced only by the
    delegating one, and others get `ValueError: generator already executing`)."""
    if type(iterable) is not Generator:
        return iterable
    generator = iterable._generator
    # (Taken already and finished, by an earlier delegation: nothing left to race on.)
    if not iterable._lock.acquire(False) and generator.gi_frame is not None:
        raise ValueError("generator already executing")
    if _delegated is None:
        _make_delegated()
    _delegated[id(generator)] = iterable
    return generator


def _make_delegated():
    global _delegated
    # The host's: once the guest has imported its own, an import of the host's finds the
    # guest's (importing.GuestModulesForHostCCode), whose code tracers would see run.
    weakref = host_module("weakref")
    with _delegated_made:
        if _delegated is None:
            _delegated = weakref.WeakValueDictionary()


def _guarded(generator):
    """A host generator as the guest knows it: the guarded one it is inside, if any."""
    if generator is None or _delegated is None:
        return generator
    return _delegated.get(id(generator), generator)


class GeneratorFunction:
    """A generator function whose generators are guarded; otherwise the function."""

    __slots__ = ("_function", "__weakref__")

    def __init__(self, function):
        object.__setattr__(self, "_function", function)

    @property
    def __class__(self):
        return FunctionType

    def __call__(self, /, *args, **kwargs):
        function = self._function
        generator = function(*args, **kwargs)
        if function.__code__.co_flags & _CO_ITERABLE_COROUTINE:
            # Awaited as the host generator itself (asyncio's __sleep0).
            return generator
        return Generator(generator)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return MethodType(self, instance)

    def __getattr__(self, name):
        return getattr(self._function, name)

    def __setattr__(self, name, value):
        setattr(self._function, name, value)

    def __delattr__(self, name):
        delattr(self._function, name)

    def __repr__(self):
        return repr(self._function)

    def __reduce__(self):
        return self._function.__qualname__

    __doc__ = property(lambda self: self._function.__doc__)
    __module__ = property(lambda self: self._function.__module__)
    __dict__ = property(lambda self: self._function.__dict__)


def guard_function(function):
    """`__gilless_generator_function__`: a generator function, guarded."""
    return GeneratorFunction(function)


FUNCTION_STAND_INS.add(GeneratorFunction)


# Host C functions of the guest's built-in modules that take a host generator only
# (PyGen_Type): CPython's C test helper that raises SIGINT and then sends None.
_TAKE_HOST_GENERATOR = {"_testcapi": ("raise_SIGINT_then_send_None",)}


def patch_module(name, module):
    """Make the guest's copy of host C module `name` give such functions the host
    generator inside a guarded one (which they drive without the guard's lock)."""
    for function_name in _TAKE_HOST_GENERATOR.get(name, ()):
        function = getattr(module, function_name, None)
        if function is not None:
            setattr(module, function_name,
                    BuiltinFunction(_unwrapping_generators(function), shown=function))


def _unwrapping_generators(function):
    def call(*args):
        return function(*(argument._generator if type(argument) is Generator else argument
                          for argument in args))
    return call


def add_guard_names(guest_builtins):
    """Put what guarded code looks up into the guest's builtins, as functions named as
    what they are there: the guest finds them by iterating its builtins, and
    pickles them by reference as it would CPython's (`test_pickle` does both)."""
    global _eager_consumers, _lazy_consumers
    from gilless.compiler.generatorguard import (CONSUMED_GUARD, CONSUMER_EXPRESSION_GUARD,
                                                 DELEGATION_GUARD, EAGER_CONSUMERS,
                                                 EXPRESSION_GUARD, FUNCTION_GUARD,
                                                 LAZY_CONSUMERS)
    # (The guest's built-ins are the host's objects.)
    _eager_consumers = frozenset(id(getattr(builtins, name)) for name in EAGER_CONSUMERS)
    _lazy_consumers = frozenset(id(getattr(builtins, name)) for name in LAZY_CONSUMERS)
    for name, function in ((FUNCTION_GUARD, guard_function),
                           (EXPRESSION_GUARD, guard_generator),
                           (DELEGATION_GUARD, guard_delegation),
                           (CONSUMER_EXPRESSION_GUARD, guard_generator_for),
                           (CONSUMED_GUARD, consumed_by)):
        function.__module__ = "builtins"
        function.__name__ = function.__qualname__ = name
        guest_builtins[name] = function
        # CPython makes no such call: no monitoring tool is told of it.
        INSERTED_CALLS.add(function.__code__)


# Named as the host's types, in repr and in type(g).__name__.
Generator.__name__ = Generator.__qualname__ = "generator"
Generator.__module__ = "builtins"
GeneratorFunction.__name__ = GeneratorFunction.__qualname__ = "function"
