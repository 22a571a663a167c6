"""The race detector's core: FastTrack over the access and synchronisation events.

Happens-before is tracked with vector clocks per thread and per
synchronisation object, and each location keeps FastTrack's compact state
(Flanagan and Freund, PLDI 2009): the epoch (clock@thread) of its last write
and, while reads are ordered, the epoch of its last read; only reads by
threads that are concurrent with each other widen it to a read map. So the
common cases cost a comparison: a location read or written again by the
same thread in the same epoch returns at once, and a location only one
thread touches never allocates a vector clock.

An epoch is one int, `clock << TID_BITS | tid`. A vector clock is a list
indexed by thread number. A location's state lives in a `Shadow` per target
object, found by `id()` and checked by identity: a weak reference, dropped
with the object, for the objects that allow one, else the object itself (the
shadow keeps it alive, so its address cannot be reused while the shadow
exists; `sweep` drops the shadows of objects nothing else refers to).

Each access recorded keeps its guest stack, for the report of a later
conflicting access; a race is reported once per pair of source lines.
The detector's own state is updated without locks: on a free-threaded host
two threads recording the same location at once may lose one update (a
missed report, never a crash or a false one for ordered accesses).
"""

import sys
import threading as host_threading
import weakref
from _thread import _local as _host_local

from gilless.instrument.events import ATOMIC, ATTR, ITEM, STRUCT, VAR, WRITE
from gilless.base.frames import GILLESS_DIR
from gilless.base.state import world
from gilless.compiler.lowering import UNWATCHED

TID_BITS = 20
TID_MASK = (1 << TID_BITS) - 1
SHARED = -1  # a location's read epoch when its reads are concurrent (see Location.reads)

# Stacks are kept to this depth (innermost frames first).
MAX_DEPTH = 64


class ThreadState:
    __slots__ = ("tid", "vc", "epoch", "token", "stacks")

    def __init__(self, tid, vc, token):
        self.tid = tid
        self.vc = vc
        self.epoch = (vc[tid] << TID_BITS) | tid
        self.token = token
        self.stacks = {}  # the stack cache of capture_stack


class ThreadToken:
    """A guest thread as the detector knows it: created by `fork`, ended by `end`."""

    __slots__ = ("tid", "vc", "parent", "thread", "created", "ended", "sync_objects")

    def __init__(self, tid, vc, parent, thread, created):
        self.tid = tid
        self.vc = vc
        self.parent = parent
        self.thread = thread
        self.created = created
        self.ended = None
        self.sync_objects = []

    def describe(self):
        if self.tid == 0:
            return "main thread"
        name = None
        if self.thread is not None:
            name = getattr(self.thread, "_name", None)
        return f"thread T{self.tid} ({name})" if name else f"thread T{self.tid}"


class Location:
    """FastTrack's state of one location, with the stacks of the accesses it remembers."""

    __slots__ = ("write", "write_flags", "write_stack", "read", "read_stack", "reads",
                 "atomics")

    def __init__(self):
        # Atomic writes by other threads, concurrent with the last write (atomic too):
        # tid -> (epoch, stack). Atomic operations do not race with one another, but a
        # later plain access races with each of them.
        self.atomics = None
        self.write = 0
        self.write_flags = 0
        self.write_stack = None
        self.read = 0
        self.read_stack = None
        # While `read` is SHARED: tid -> (epoch, stack) of each concurrent read.
        self.reads = None


class _WeakShadow(weakref.ref):
    __slots__ = ("key", "attributes", "items", "structure")

    def __init__(self, target, callback):
        super().__init__(target, callback)
        self.key = id(target)
        self.attributes = {}
        self.items = {}
        self.structure = None

    def target(self):
        return self()


class _StrongShadow:
    __slots__ = ("obj", "key", "attributes", "items", "structure")

    def __init__(self, target):
        self.obj = target
        self.key = id(target)
        self.attributes = {}
        self.items = {}
        self.structure = None

    def target(self):
        return self.obj


# -- per-process state (one guest world, one detector) -------------------------------

_shadows = {}
_strong_count = 0
_sweep_at = 100_000
_tls = _host_local()
_tokens = []            # ThreadToken by tid
_tid_lock = host_threading.Lock()
_report = None          # the function a race is handed to (set by `start`)
_exited_vc = []         # the join of the final clocks of every ended thread
_import_clocks = {}


def start(report):
    """Begin detection in the calling (main) thread; races go to `report(race)`."""
    global _report
    _report = report
    main = ThreadToken(0, [1], None, None, None)
    _tokens.append(main)
    _tls.state = ThreadState(0, [1], main)


def _state():
    try:
        return _tls.state
    except AttributeError:
        # A thread gilless did not start (none should run guest code): no edge to anything.
        token = _new_token([], None, None, None)
        state = _tls.state = ThreadState(token.tid, token.vc, token)
        return state


def _new_token(parent_vc, parent, thread, created):
    with _tid_lock:
        tid = len(_tokens)
        vc = list(parent_vc) + [0] * (tid + 1 - len(parent_vc))
        vc[tid] = 1
        token = ThreadToken(tid, vc, parent, thread, created)
        _tokens.append(token)
    return token


def _join(into, other):
    if len(other) > len(into):
        into.extend([0] * (len(other) - len(into)))
    for index, clock in enumerate(other):
        if clock > into[index]:
            into[index] = clock


def _tick(state):
    vc = state.vc
    vc[state.tid] += 1
    state.epoch = (vc[state.tid] << TID_BITS) | state.tid


def _before(epoch, vc):
    """True when the access at `epoch` happens before the thread whose clock is `vc`."""
    tid = epoch & TID_MASK
    return tid < len(vc) and (epoch >> TID_BITS) <= vc[tid]


# -- stacks -------------------------------------------------------------------------

# code object -> True for code whose frames no report shows (gilless's own, and the
# standard library's synchronisation and import code).
_hidden = {}


def _is_hidden(code):
    hidden = _hidden.get(code)
    if hidden is None:
        filename = code.co_filename
        hidden = _hidden[code] = filename.startswith(GILLESS_DIR) or filename in UNWATCHED
    return hidden


def capture_stack(frame, cache=None):
    """The guest stack from `frame` outwards, as a linked tuple (code, line, callers).

    Recording an access is frequent and a report rare, so stacks share their
    callers' part: `cache` (per thread) maps a frame to the stack it had at its
    current instruction, and a walk stops at the first caller found there. The
    cache holds the frames it names (so their ids are not reused) and is
    emptied when it grows, which bounds what it keeps alive."""
    # Below the main module's frame are gilless's and the launcher's.
    base = world.main_base_frame
    pending = []
    stack = None
    while frame is not None and frame is not base:
        code = frame.f_code
        hidden = _hidden.get(code)
        if hidden is None:
            hidden = _is_hidden(code)
        if not hidden:
            if cache is not None:
                entry = cache.get(id(frame))
                if entry is not None and entry[0] is frame and entry[1] == frame.f_lasti:
                    stack = entry[2]
                    break
            pending.append(frame)
            if len(pending) >= MAX_DEPTH:
                break
        frame = frame.f_back
    if cache is not None and len(cache) > 1024:
        cache.clear()
    for frame in reversed(pending):
        stack = (frame.f_code, frame.f_lineno, stack)
        if cache is not None:
            cache[id(frame)] = (frame, frame.f_lasti, stack)
    return stack


def stack_frames(stack):
    """A linked stack as (code, line) pairs, innermost first."""
    frames = []
    while stack is not None:
        frames.append((stack[0], stack[1]))
        stack = stack[2]
    return frames


# -- synchronisation events --------------------------------------------------------

def acquired(sync):
    clock = sync._sync
    if clock:
        _join(_state().vc, clock)


def releasing(sync):
    state = _state()
    sync._sync = list(state.vc)
    _tick(state)


def published(sync):
    state = _state()
    if sync._sync is None:
        sync._sync = list(state.vc)
    else:
        _join(sync._sync, state.vc)
    _tick(state)


def fork(thread):
    state = _state()
    token = _new_token(state.vc, state.token, thread, capture_stack(sys._getframe(1)))
    _tick(state)
    return token


def begin(token):
    _tls.state = ThreadState(token.tid, list(token.vc), token)


def sentinel(lock):
    _state().token.sync_objects.append(lock)


def sentinel_for(token, sync):
    token.sync_objects.append(sync)


def end(token):
    state = _state()
    final = list(state.vc)
    token.ended = final
    for sync in token.sync_objects:
        if sync._sync is None:
            sync._sync = list(final)
        else:
            _join(sync._sync, final)
    _join(_exited_vc, final)


def joined_all():
    _join(_state().vc, _exited_vc)


def module_executed(name):
    """The calling thread has run the body of module `name`: what it wrote is published."""
    state = _state()
    clock = _import_clocks.get(name)
    if clock is None:
        clock = _import_clocks.setdefault(name, [])
    _join(clock, state.vc)
    _tick(state)


def imported(names):
    """The calling thread got the modules `names` from an import: it sees their bodies."""
    vc = _state().vc
    for name in names:
        clock = _import_clocks.get(name)
        if clock:
            _join(vc, clock)


# -- access events ------------------------------------------------------------------

def _drop(shadow, shadows=_shadows):
    # (The table bound as a default: this can run while the host tears modules down.)
    if shadows.get(shadow.key) is shadow:
        shadows.pop(shadow.key, None)


def _new_shadow(target):
    global _strong_count
    try:
        shadow = _WeakShadow(target, _drop)
    except TypeError:
        shadow = _StrongShadow(target)
        _strong_count += 1
        if _strong_count >= _sweep_at:
            sweep()
    _shadows[shadow.key] = shadow
    return shadow


def sweep():
    """Drop the shadows of objects that only their shadow keeps alive."""
    global _strong_count, _sweep_at
    # Only the shadow refers to it (the second reference is getrefcount's argument).
    for key, shadow in list(_shadows.items()):
        if type(shadow) is _StrongShadow and sys.getrefcount(shadow.obj) <= 2:
            if _shadows.get(key) is shadow:
                _shadows.pop(key, None)
    _strong_count = sum(1 for s in list(_shadows.values()) if type(s) is _StrongShadow)
    _sweep_at = max(100_000, 2 * _strong_count)


def access(target, space, key, flags):
    try:
        state = _tls.state
    except AttributeError:
        state = _state()
    shadow = _shadows.get(id(target))
    if shadow is None or shadow.target() is not target:
        shadow = _new_shadow(target)
    if space == STRUCT:
        location = shadow.structure
        if location is None:
            location = shadow.structure = Location()
    else:
        table = shadow.items if space == ITEM else shadow.attributes
        location = table.get(key)
        if location is None:
            location = table.setdefault(key, Location())
    epoch = state.epoch
    if flags & WRITE:
        if location.write == epoch and location.write_flags == flags:
            return
        update = _write
    elif location.read != epoch and (location.write != epoch or location.atomics is not None
                                     or location.write_flags & ATOMIC):
        # (A read after this thread's write in the same epoch adds nothing: any later
        # conflicting access conflicts with that write too.)
        reads = location.reads
        if reads is not None:
            # FastTrack's read-shared same-epoch case: data many threads only read.
            seen = reads.get(state.tid)
            if seen is not None and seen[0] == epoch:
                return
        update = _read
    else:
        return
    # The fast paths above only read a location's state; its updates are serialised
    # per location (by a lock of a fixed set), so that two threads recording the same
    # location at once on a free-threaded host lose nothing.
    with _stripes[id(location) % _STRIPES]:
        try:
            update(state, location, flags, target, space, key)
        except Exception as error:
            _internal_error(error)


_STRIPES = 64
# Reentrant: a report may run a guest __repr__, whose accesses are recorded too.
_stripes = tuple(host_threading.RLock() for _ in range(_STRIPES))
_internal_errors = []


def _internal_error(error):
    """A bug of the detector: kept out of the program, and said once."""
    if not _internal_errors:
        import traceback
        print("gilless: internal error in the race detector (this is a bug in gilless, "
              "not in your program):", file=sys.__stderr__)
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.__stderr__)
    _internal_errors.append(error)


def _read(state, location, flags, target, space, key):
    vc = state.vc
    write = location.write
    stack = capture_stack(sys._getframe(3), state.stacks)
    if write and not _before(write, vc):
        _race(state, stack, 0, location.write_stack, write, location.write_flags,
              target, space, key)
    elif location.atomics is not None:
        _check_atomics(state, location, stack, 0, target, space, key)
    read = location.read
    if read == SHARED:
        location.reads[state.tid] = (state.epoch, stack)
    elif read == 0 or _before(read, vc):
        location.read = state.epoch
        location.read_stack = stack
    else:
        location.reads = {read & TID_MASK: (read, location.read_stack),
                          state.tid: (state.epoch, stack)}
        location.read = SHARED
        location.read_stack = None


def _write(state, location, flags, target, space, key):
    vc = state.vc
    stack = capture_stack(sys._getframe(3), state.stacks)
    write = location.write
    concurrent = write and not _before(write, vc)
    if concurrent and not (flags & location.write_flags & ATOMIC):
        _race(state, stack, flags, location.write_stack, write, location.write_flags,
              target, space, key)
    elif location.atomics is not None and not flags & ATOMIC:
        _check_atomics(state, location, stack, flags, target, space, key)
    read = location.read
    if read == SHARED:
        for epoch, read_stack in list(location.reads.values()):
            if not _before(epoch, vc):
                _race(state, stack, flags, read_stack, epoch, 0, target, space, key)
                break
    elif read and not _before(read, vc):
        _race(state, stack, flags, location.read_stack, read, 0, target, space, key)
    if flags & ATOMIC:
        if concurrent and (write & TID_MASK) != state.tid:
            if location.atomics is None:
                location.atomics = {}
            location.atomics[write & TID_MASK] = (write, location.write_stack)
    else:
        location.atomics = None
    location.write = state.epoch
    location.write_flags = flags
    location.write_stack = stack
    if read == SHARED:
        # FastTrack: every read so far happens before this write (else it was reported).
        location.read = 0
        location.reads = None


def _check_atomics(state, location, stack, flags, target, space, key):
    for tid, (epoch, atomic_stack) in list(location.atomics.items()):
        if tid != state.tid and not _before(epoch, state.vc):
            _race(state, stack, flags, atomic_stack, epoch, WRITE | ATOMIC, target, space, key)
            return


def _race(state, stack, flags, previous_stack, previous_epoch, previous_flags,
          target, space, key):
    previous_token = _tokens[previous_epoch & TID_MASK]
    _report(Race(
        location=describe_location(target, space, key),
        current=Access(flags, stack, state.token),
        previous=Access(previous_flags, previous_stack, previous_token)))


class Access:
    __slots__ = ("flags", "stack", "thread")

    def __init__(self, flags, stack, thread):
        self.flags = flags
        self.stack = stack
        self.thread = thread

    @property
    def kind(self):
        kind = "write" if self.flags & WRITE else "read"
        return f"atomic {kind}" if self.flags & ATOMIC else kind


class Race:
    __slots__ = ("location", "current", "previous")

    def __init__(self, location, current, previous):
        self.location = location
        self.current = current
        self.previous = previous

    def innermost_functions(self):
        """(file, function) of the innermost frame of each access."""
        return {(stack[0].co_filename, stack[0].co_name)
                for stack in (self.current.stack, self.previous.stack) if stack}

    def sites(self):
        """The pair of source lines that identifies this race for deduplication."""
        return frozenset((_site(self.current.stack), _site(self.previous.stack)))


def _site(stack):
    if not stack:
        return None
    return stack[0].co_filename, stack[1]


def describe_location(target, space, key):
    if space == VAR:
        name, closure = key
        return f"variable {name!r} of closure {closure}"
    if space == STRUCT:
        return f"contents of {type(target).__name__}"
    if space == ITEM:
        if isinstance(target, (set, frozenset)):
            return f"member {_short_repr(key)} of {type(target).__name__}"
        return f"item {_short_repr(key)} of {type(target).__name__}"
    if type(target) is dict:
        # A module's namespace (plain dicts have no attributes).
        return f"global {key!r} of module {target.get('__name__', '?')}"
    if isinstance(target, type):
        return f"attribute {key!r} of class {target.__qualname__}"
    return f"attribute {key!r} of {type(target).__name__} object"


def _short_repr(value):
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= 60 else text[:57] + "..."
