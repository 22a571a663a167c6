"""The instrumentation layer: guest accesses and synchronisation as events, for the tools.

The tools that watch guest code (the race detector, the thread profiler) see the program
through two streams of events, each coming from one place:

- access events, from the code that `gilless.compiler.accesses` emits: every
  read or write of an attribute, a container item or structure, a global
  some function declares `global`, or a closure variable some inner function
  declares `nonlocal`. `events` performs each access as the host would and
  reports it as (target, space, key, flags);
- synchronisation events, from the guest `_thread` and the few C primitives
  that do not go through it (`sync`): lock acquire and release, thread
  start, end and join, `_queue.SimpleQueue` put and get, and the publication
  of a module by `import`; and, from `events`, which sees the calls, a deque's
  puts and takes.

A tool is a consumer: a module or object with the functions of `Consumer`
below, installed once with `install`. Lock and RLock operations also go to
a second consumer, with the functions of `LockConsumer`, if the tool
installs one (`gilless.lockorder` is the one there is). The default mode
loads none of this package, and its guest code never calls it.
"""


import _thread
import sys
import types


class Consumer:
    """What a tool provides (the race detector's `gilless.race.detector` is one).

    access(target, space, key, flags): an access (see `events` for the values).
    acquired(sync) / releasing(sync): a lock-like object was taken / is being given
        back (or an item taken from / put into a SimpleQueue); `sync._sync` is the
        tool's own slot on the object.
    fork(thread) -> token: a thread is being started (`thread`: its guest Thread
        object, if any); begin(token) runs first in the new thread, end(token) last.
    sentinel(lock): the calling thread's end will be signalled through `lock`
        (CPython's `_set_sentinel`, which join waits on).
    sentinel_for(token, sync): the end of the thread `token` stands for will be
        signalled through `sync` (3.13's thread handles, which join waits on).
    joined_all(): the calling thread has waited for every thread to end.
    module_executed(name): the calling thread ran the body of module `name`, or is
        storing into the state of standard-library module `name` (see
        `events.module_released`).
    imported(names): the calling thread got modules of these names from an import, or
        read the state of a standard-library module (`events.module_acquired`).
    publishing(container) / received(container), optional: items are about to be put
        into / were taken out of a deque or a list (C code that no guest lock sees;
        from `events.method`).
    putting(container) / taking(container), optional: items are about to be put into /
        taken out of a list (`publishing` when there is no `putting`).
    access_run(target, space, keys, lines, flags), optional: a run of accesses that
        one event reports (`events.ra_run`, `wa_run` and `rwi_run`, for the race
        detector's lowering): `access` for each of `keys` with its flags (None: no
        access; `events.UPDATE` added: a read, then a write), each made at its line of
        `lines` in the guest's frame. Without it, `access` for each.

    Optional, for a tool that keeps FastTrack's state per location (the race detector):
    shadows: a dict id(target) -> the target's shadow, whose `attributes` and `items`
        map each location to its record (see `events`: the same-epoch filter);
    threads: a thread-local object whose `epoch` is the calling thread's epoch (none
        for a thread the tool has no epoch for).
        An access whose location's record holds the thread's epoch in the field of
        its kind is not reported: FastTrack's same-epoch rule, with no call.

    Optional, for a tool that profiles rather than checks (the thread profiler's
    `gilless.threadprof.recorder`):
    created(sync): a guest lock or RLock was just made (its creation site is the
        caller's stack).
    waiting(sync, kind) -> token / waited(token): a thread blocks and stops blocking
        (see `sync.observe_waits`, which the tool calls as it patches `_thread`, and
        `sync.patch_time_module` for `time.sleep`).
    """


class LockConsumer:
    """What a consumer of lock operations provides (`gilless.lockorder`). Each gets the
    guest's `_thread.lock` or `_thread.RLock`, whose `_order` slot is its own.

    created(lock, frame): guest code whose innermost frame is `frame` made `lock`.
    acquired(lock, blocking, count=1): after a successful acquire (after the
        consumer's `acquired`); `blocking` is False when it could not have waited
        forever (`blocking=False`, or a timeout); `count` is the depth of an RLock
        that Condition.wait restores.
    releasing(lock, entirely=False): before a release; `entirely` for all of an
        RLock's depth (Condition.wait).
    not_acquired(lock): a blocking acquire with a timeout gave up.
    reinitialized(lock): `lock` was made unlocked again without a release
        (`_at_fork_reinit`, in a child process).
    signal(lock): `lock` signals an event rather than guarding data (a thread's end
        sentinel: the host releases it).
    """


def install(consumer, locks=None):
    """Route every event to `consumer`, and lock operations to `locks` too (once per
    process)."""
    from gilless.base import hoststack
    from gilless.compiler import lowering
    from gilless.instrument import events, sync
    lowering.events_runtime = events
    events.install(consumer)
    sync.install(consumer, locks)
    hoststack.make_immortal(_runtime_objects((consumer, locks)))


# What the runtime's module-level names may hold that every thread loads or calls.
_SHARED_KINDS = frozenset({types.FunctionType, types.ModuleType, dict, list, tuple, set,
                           frozenset, object, _thread._local})


def _runtime_objects(tools):
    """The objects that every thread of the program loads or calls at its accesses and
    synchronisations: the event modules, the tools' modules and their functions (with
    their code) and tables, and the built-ins they call. On a free-threaded 3.13 host
    they are made immortal at installation, before any guest thread runs: each event
    calls a few functions of one module from every thread, which otherwise contend for
    their reference counts (pyperformance's richards in two threads under `-X race`
    ran at 0.68 of the time it took before, nbody 0.65: see docs/races.md)."""
    from gilless.base import state
    from gilless.instrument import events, stacks, sync
    modules = [events, stacks, sync] + [tool for tool in tools if type(tool) is types.ModuleType]
    found = [id, len, sys._getframe, state.world]
    for module in modules:
        found.append(module)
        for name, value in list(vars(module).items()):
            if type(value) in _SHARED_KINDS and not name.startswith("__"):
                found.append(value)
                if type(value) is types.FunctionType:
                    found.append(value.__code__)
    return found


def patch_marshal_module(module):
    """The guest's `marshal` in the modes whose compiled code calls the event runtime,
    which marshal cannot write. Code that gilless compiled from source there is
    written as the host compiles that source, so that any Python reads it (the `.pyc`
    of `py_compile`, a template engine's cache of compiled templates), and runs without
    events when read back; other such code is written in the form the compile cache
    keeps, which this `marshal` reads back as it was. (A code object inside another
    value is written as the host's `marshal` would: it fails.)"""
    from gilless.compiler import accesses, codegen
    from gilless.instrument import events
    from gilless.module.builtinfunction import BuiltinFunction
    host_dumps, host_dump, host_loads, host_load = (
        module.dumps, module.dump, module.loads, module.load)

    def writable(value):
        if type(value) is types.CodeType:
            plain = codegen.plain_code(value)
            return plain if plain is not None else accesses.unfinish(value, events)
        return value

    def readable(value):
        return accesses.finish(value, events) if type(value) is types.CodeType else value

    def dumps(value, /, *args, **kwargs):
        return host_dumps(writable(value), *args, **kwargs)

    def dump(value, file, /, *args, **kwargs):
        return host_dump(writable(value), file, *args, **kwargs)

    def loads(data, /, *args, **kwargs):
        return readable(host_loads(data, *args, **kwargs))

    def load(file, /, *args, **kwargs):
        return readable(host_load(file, *args, **kwargs))

    for function, shown in ((dumps, host_dumps), (dump, host_dump), (loads, host_loads),
                            (load, host_load)):
        setattr(module, shown.__name__, BuiltinFunction(function, shown=shown))


def patch_warnings_module(module):
    """The guest's `_warnings` in the modes whose compiled code calls the event runtime:
    `warn` passes over the event functions' frames as it counts `stacklevel`, as the
    guest's `sys._getframe` does. A warning given with `stacklevel=2` by a property's
    getter or a module's `__getattr__` that an event function ran (`make().value`, or
    `module.name` at module level) named gilless's file; it names the line that reads
    the attribute, as without the mode. (Warnings raised by C code itself still count
    those frames.)"""
    from gilless.base.frames import GILLESS_DIR
    from gilless.base.hoststack import call_above
    from gilless.base.state import world
    from gilless.module.builtinfunction import BuiltinFunction
    from gilless.module.systrace import guest_frame_from
    host_warn = module.warn

    def warn(message, category=None, stacklevel=1, source=None, **keywords):
        # The frame that called `warn`: level 1. Each level above it is the next guest
        # frame, found as CPython's C walk finds the next frame; the walk that the host
        # then makes from there counts the event functions' frames too.
        frame = guest_frame_from(sys._getframe(1))
        if frame is None or type(stacklevel) is not int:
            return host_warn(message, category, stacklevel, source, **keywords)
        skipped = keywords.get("skip_file_prefixes")
        if type(skipped) is not tuple:
            skipped = ()  # (none, or what the host's warn rejects)
        elif skipped and stacklevel < 2:
            stacklevel = 2
        levels = _host_levels(frame, stacklevel, skipped, GILLESS_DIR,
                              world.main_base_frame)
        return call_above(frame, host_warn, message, category, levels, source, **keywords)

    module.warn = BuiltinFunction(warn, shown=host_warn)


def _internal_frame(filename):
    # CPython's `_warnings`: the frames of importlib's bootstrap, which the walk skips.
    return "importlib" in filename and "_bootstrap" in filename


def _skipped(filename, prefixes):
    # (CPython's test leaves the name's last character out: a prefix that is the whole
    # name does not skip it.)
    return type(filename) is str and all(type(prefix) is str for prefix in prefixes) \
        and filename.startswith(prefixes, 0, len(filename) - 1)


def _host_levels(frame, stacklevel, skipped, gilless_dir, base):
    """The `stacklevel` that the host's walk from `frame` needs to reach the frame that
    `stacklevel` names in the guest's stack: one more for each of gilless's frames
    passed (a frame that the walk skips, importlib's or one of `skipped` files, counts
    for neither)."""
    plain = stacklevel <= 0 or _internal_frame(frame.f_code.co_filename)
    level = levels = 1
    while level < stacklevel:
        frame = frame.f_back
        if frame is None or frame is base:
            return levels + stacklevel - level
        filename = frame.f_code.co_filename
        if filename.startswith(gilless_dir):
            levels += 1
        elif plain or not (_internal_frame(filename)
                           or skipped and _skipped(filename, skipped)):
            levels += 1
            level += 1
    return levels


def patch_code_pickler(module):
    """cloudpickle in the modes whose compiled code calls the event runtime, which it
    cannot pickle: code that it pickles by value (of a function of `__main__`'s, which
    joblib's process pools send to their workers) is pickled as the host compiles its
    source, and runs without events in the process that reads it back, which no tool
    watches. Code whose source is not known is pickled as it is (which fails)."""
    for value in list(vars(module).values()):
        table = vars(value).get("_dispatch_table") if isinstance(value, type) else None
        if type(table) is dict and types.CodeType in table:
            reduce = table[types.CodeType]
            if not getattr(reduce, "_reduces_plain_code", False):
                table[types.CodeType] = _plain_code_reducer(reduce)


def _plain_code_reducer(reduce):
    from gilless.base.hoststack import call_above
    from gilless.compiler import codegen

    def reduce_code(code):
        plain = codegen.plain_equivalent(code)
        # (Called by the pickler's C code: `reduce` runs above the frame that pickles.)
        return call_above(sys._getframe(1), reduce, code if plain is None else plain)

    reduce_code._reduces_plain_code = True
    return reduce_code


def uninstall():
    """Drop every event from now on: the guest code that runs as the process ends (its
    finalisers, as the host tears modules down) is not observed once the tool has
    given its verdict, and cannot reach a tool whose modules are being torn down."""
    from gilless.instrument import events, sync
    events.uninstall()
    sync.uninstall()
