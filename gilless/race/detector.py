"""The race detector's core: FastTrack over the access and synchronisation events.

Happens-before is tracked with vector clocks per thread and per
synchronisation object, and each location keeps FastTrack's compact state
(Flanagan and Freund, PLDI 2009): the epoch (clock@thread) of its last write
and, while reads are ordered, the epoch of its last read; only reads by
threads that are concurrent with each other widen it to a read map. So the
common cases cost a comparison: a location read or written again by the
same thread in the same epoch is not even reported (the instrumentation
layer compares the thread's epoch with the location's record, shared with it
through `shadows` and `threads`), and a location only one thread touches
never allocates a vector clock.

An epoch is one int, `clock << TID_BITS | tid`. A vector clock is a list
indexed by thread number. A location's state is a tuple in the shadow of its
target's address, found by `id()`, which is emptied when the object dies: it
holds the object by a weak reference, for the objects that allow one, else
holds the object itself (a strong shadow: the address cannot be reused while
it does; the sweeps let go of the objects nothing else refers to, and a search
as the host's collector makes of those that only reference cycles through
strong shadows keep alive: see `_outside_cycles`).

Each access recorded keeps its guest stack, for the report of a later
conflicting access; a race is reported once per pair of source lines.
Reads of a location's state take no lock, and its updates are serialised
per shadow by a lock of a fixed set; a shadow and a location are made
with `setdefault`, so two threads touching a fresh object at the same
instant on a free-threaded host share the first one made. Objects made at
the same place in the same epoch begin with the same records, and share one
table of them until one is accessed again (see `_SHARED`).
"""

import gc
import sys
import threading as host_threading
import types
import weakref
from collections import Counter
from itertools import chain
from operator import itemgetter
from _thread import _local as _host_local, get_ident

from gilless.base import hostbuild, hoststack
from gilless.base.hostimports import host_module
from gilless.base.state import world
from gilless.instrument.events import (ATOMIC, ATOMIC_SEEN, ATTR, READ_SEEN, READS_SEEN,
                                       STRUCT, STRUCTURE, THROUGH_CLASS, UPDATE, VAR, WRITE,
                                       WRITE_SEEN, describe)
from gilless.instrument.stacks import capture_stack, capture_stacks, frame_memo, line_of

TID_BITS = 20
TID_MASK = (1 << TID_BITS) - 1
SHARED = -1  # a location's read epoch when its reads are concurrent (see READS)


class ThreadState:
    __slots__ = ("tid", "vc", "epoch", "token", "stacks", "modules", "found",
                 "before_collection")

    def __init__(self, tid, vc, token):
        self.tid = tid
        self.vc = vc
        self.epoch = (vc[tid] << TID_BITS) | tid
        self.token = token
        self.stacks = {}  # the stack cache of capture_stack
        self.modules = {}  # module name -> the version of its clock last joined
        self.found = []  # races found under a stripe's lock, to report once it is let go
        self.before_collection = None  # its own clock, while it runs a collection


class ThreadToken:
    """A guest thread as the detector knows it: created by `fork`, ended by `end`."""

    __slots__ = ("tid", "vc", "parent", "thread", "name", "created", "sync_objects", "state",
                 "last_steps", "thread_locals")

    def __init__(self, tid, vc, parent, thread, created):
        self.tid = tid
        self.vc = vc
        self.parent = parent
        self.thread = thread  # the guest Thread, while the thread runs
        self.name = None      # its name when it ended
        self.created = created
        self.sync_objects = []
        self.state = None     # its ThreadState, while the thread runs
        self.last_steps = None  # see `_LastSteps`
        self.thread_locals = []

    def describe(self):
        if self.tid == 0:
            return "main thread"
        name = self.name
        if self.thread is not None:
            name = getattr(self.thread, "_name", None)
        return f"thread T{self.tid} ({name})" if name else f"thread T{self.tid}"


# A location's state is a tuple, replaced whole by each update: the fast paths read
# it without a lock, a first access builds it without a call, and a tuple of ints
# and stacks is soon no work for the host's garbage collector. Its first four fields
# are the instrumentation layer's same-epoch filter (see gilless.instrument.events):
# an access whose thread's epoch is the one they hold is not reported at all.
READ_SEEN = READ_SEEN      # the epoch whose reads add nothing (a read, or a plain write, in it)
WRITE_SEEN = WRITE_SEEN    # the epoch of the last write, when it was plain (else 0)
ATOMIC_SEEN = ATOMIC_SEEN  # the epoch of the last write, when it was atomic (else 0)
READS_SEEN = READS_SEEN    # while reads are concurrent, the epoch of each (else NO_READS)
WRITE_STACK = 4   # the last write's stack
READ_EPOCH = 5    # the epoch of the last read, or SHARED while reads are concurrent
READ_STACK = 6
READS = 7         # while READ_EPOCH is SHARED: tid -> (epoch, stack) of each concurrent read
# Atomic writes by other threads, concurrent with the last write (atomic too): tid ->
# (epoch, stack). Atomic operations do not race with one another, but a later plain
# access races with each of them.
ATOMICS = 8
# (A tuple, not a frozenset: records holding nothing the garbage collector tracks are
# dropped from its lists.)
NO_READS = ()
_first = itemgetter(0)


class _Shadow:
    """The detector's state of the object at one address.

    `key` is the address (the object's id); `attributes` maps an attribute name (or a
    closure variable) to its location's state (a table of its own, or one it shares
    with objects made alike: see `_SHARED`), `items` (made on the first item access)
    a container's keys and STRUCTURE; a deque's `clock` is the join of its puts' (see
    `publishing`), a list's its one user's epoch or that join (see `putting`); an
    object a cached function returned has `published` (see `published`). `held`
    is what ties the shadow to the object: the object itself when it allows no weak
    reference (a strong shadow), else a `_Life`, a weak reference to it; a strong
    shadow's `owner` is the thread that claimed it (see `_hand_back`).

    A shadow belongs to its address, not to one object: when the object dies (its
    `_Life` calls back) or is let go (see `_sweep`), the shadow is vacated, with
    empty tables and nothing held, and the next object accessed at that address
    takes it over. So objects that come and go cost no insertion into `_shadows` and
    no deletion from it: on free-threaded 3.13, deleting keys from a dict and
    inserting them again, as a program's objects come and go at the same addresses,
    makes each deletion and insertion cost microseconds, more as the dict grows (at
    10,000 entries, 2.2 us against 0.1 us for new keys; on 3.11 0.1 us either way).
    The table keeps an entry per address ever accessed, as many as the program had
    objects at once. (No __init__: `_new_shadow` fills the slots in, at C speed.)"""

    __slots__ = ("key", "attributes", "items", "clock", "held", "published", "owner")


# An attribute table that shadows share and no one changes holds this key (which is no
# attribute's). The first accesses to a fresh object (the stores of its `__init__`),
# made at the same places in the same epoch, leave the same records: each place keeps,
# in the stack cache's memo of its frame (see gilless.instrument.stacks.frame_memo), the
# table after its access given the table before it, and the object's shadow takes that
# table instead of a dict and records of its own (see `access_run` and
# `_first_shared`). A vacant shadow's table is `_VACANT`. Whoever changes a shadow's
# table makes it the shadow's own first (`_owned`). (raytrace's vectors and float's
# points: 2.4 us to 1.7 us for each object of two attributes.)
_SHARED = object()
_VACANT = {_SHARED: None}


class _Life(weakref.ref):
    """A weak reference to the object a shadow is held for, which vacates the shadow
    when the object dies (before its address can be reused)."""

    __slots__ = ("shadow",)


# -- per-process state (one guest world, one detector) -------------------------------

_shadows = {}
# The strong shadows, by age (and shadows vacated since, which a sweep passes over):
# most objects that allow no weak reference are temporary (a list built and dropped),
# so the young ones are swept often, in a bounded batch, and the few survivors join the
# old, swept when they have doubled.
_young = []
_old = []
# tid -> the objects that another thread's sweep found only their strong shadows held,
# for the thread that claimed them to let go of (see `_hand_back`).
_due = {}
YOUNG_SWEEP = 4096
_old_sweep_at = YOUNG_SWEEP
# The old are searched for reference cycles less often: the search costs ~2 us per object.
CYCLE_SEARCH_AT = 16 * YOUNG_SWEEP
_cycle_search_at = CYCLE_SEARCH_AT
_sweeping = host_threading.Lock()


# `state` is the calling thread's ThreadState; `epoch` its epoch, read by the layer's
# same-epoch filter (a thread without state has neither: the filter lets its accesses
# by). The host's own class, not a subclass with a default: on free-threaded 3.13 an
# attribute of a subclass's object read in a loop ran at half speed in two threads.
_tls = _host_local()
# What the instrumentation layer's same-epoch filter reads (see gilless.instrument.Consumer).
shadows = _shadows
threads = _tls
_tokens = []            # ThreadToken by tid
# The token and final clock of the thread that ended last with each ident: the code that
# runs as the host lets go of an ended thread's thread-locals (a finalizer of one of
# their values) runs in that thread once its state is gone, with `_tls`'s.
_ended = {}
# (Reentrant: a collection that runs while a thread holds it may call _LastSteps.__del__.)
_tid_lock = host_threading.RLock()
_report = None          # the function a race is handed to (set by `start`)
_exited_vc = []         # the join of the final clocks of every ended thread
_live = 1               # the threads with a token not ended, last steps included (main's too)
_import_clocks = {}
# module name -> how many times its clock was joined into (see `imported`)
_import_versions = {}


def start(report):
    """Begin detection in the calling (main) thread; races go to `report(race)`."""
    global _report
    _report = report
    main = ThreadToken(0, [1], None, None, None)
    _tokens.append(main)
    _enter(ThreadState(0, [1], main))
    host_module("os").register_at_fork(after_in_child=_forked)


def _enter(state):
    """`state` is the calling thread's from now on."""
    _tls.state = state
    _tls.epoch = state.epoch
    state.token.state = state
    return state


def _forked():
    """In a child that `fork` made: the one thread there, the forking one, comes after
    everything every thread did before the fork (CPython forks holding the GIL, a
    free-threaded CPython with the world stopped), and the others are gone."""
    global _live
    state = _state()
    _join_every_thread(state.vc, state)
    for token in _tokens:
        if token.state is not state:
            token.state = None
    _live = 1
    _tick(state)


def collection_begins():
    """The calling thread starts a collection of the host's cyclic collector: until it
    ends, what the thread does (the finalizers and weak reference callbacks that the
    collection runs) comes after everything every thread did before (CPython collects
    holding the GIL, a free-threaded CPython with the world stopped). The collection
    orders nothing after it: the thread gets its own clock back at the end."""
    state = getattr(_tls, "state", None)
    if state is None or state.before_collection is not None:
        return
    joined = list(state.vc)
    _join_every_thread(joined, state)
    state.before_collection, state.vc = state.vc, joined


def _join_every_thread(vc, state):
    """Join into `vc` the clock of every thread but `state`'s, running or ended."""
    for token in _tokens:
        other = token.state
        if other is not None and other is not state:
            _join(vc, other.vc)
    _join(vc, _exited_vc)


def collection_ends():
    state = getattr(_tls, "state", None)
    if state is None or state.before_collection is None:
        return
    own = state.before_collection
    # (The thread's own epochs go on from those the collection's code ran in.)
    own[state.tid] = state.vc[state.tid]
    state.vc, state.before_collection = own, None


# Immutable values without a location, which a cached function's return publishes nothing of.
_NO_LOCATIONS = frozenset({int, float, complex, str, bytes, bool, type(None), range})


def published(value):
    """A function whose results a cache keeps (`functools.lru_cache`: C code the
    detector does not see) returns `value`, which the cache gives back to whichever
    thread calls it later with the same arguments, each such return coming after the
    first one (CPython's cache keeps it under the GIL, a free-threaded CPython's under
    the cache's lock). So the first access of another thread to the object (or to an
    item of a returned tuple) comes after what the calling thread did up to the
    return, as if that thread had taken it from the cache (it most likely did)."""
    if _live == 1 or type(value) in _NO_LOCATIONS:
        # (While no other thread runs, a thread that calls later starts later, after
        # this return: see `releasing`.)
        return
    state = _state()
    handed = (state.tid, state.vc[state.tid], list(state.vc))
    for target in (value if issubclass(type(value), tuple) else (value,)):
        if type(target) not in _NO_LOCATIONS:
            _shadow(target).published = handed
    _tick(state)


def _handed(handed, state):
    """Order after a cached function's return that published the object (`published`),
    if this thread is not already."""
    tid, clock, vc = handed
    if tid >= len(state.vc) or state.vc[tid] < clock:
        _join(state.vc, vc)


def current_thread():
    """The calling thread's ThreadToken (what lock-order reports name threads by)."""
    return _state().token


def _state():
    try:
        return _tls.state
    except AttributeError:
        ended = _ended.get(get_ident())
        if ended is not None:
            # An ended thread's last steps (see `_ended`), after all it did, which
            # `join` returning comes after (the host lets go of the thread-locals first).
            token, final = ended
            return ThreadState(token.tid, list(final), token)
        # A thread gilless did not start (none should run guest code): no edge to anything.
        token = _new_token([], None, None, None)
        return _enter(ThreadState(token.tid, token.vc, token))


def _new_token(parent_vc, parent, thread, created):
    global _live
    with _tid_lock:
        tid = len(_tokens)
        vc = list(parent_vc) + [0] * (tid + 1 - len(parent_vc))
        vc[tid] = 1
        token = ThreadToken(tid, vc, parent, thread, created)
        _tokens.append(token)
        _live += 1
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
    state.epoch = _tls.epoch = (vc[state.tid] << TID_BITS) | state.tid


def _before(epoch, vc):
    """True when the access at `epoch` happens before the thread whose clock is `vc`."""
    tid = epoch & TID_MASK
    return tid < len(vc) and (epoch >> TID_BITS) <= vc[tid]


# -- synchronisation events --------------------------------------------------------

def acquired(sync):
    clock = sync._sync
    if clock:
        _join(_state().vc, clock)
    if _due:
        # (A thread that waited, for a lock or a thread's end, lets go of what was
        # handed back to it meanwhile: see `_hand_back`.)
        state = getattr(_tls, "state", None)
        if state is not None and state.tid in _due:
            _let_go_due(state.tid)


def releasing(sync):
    state = _state()
    sync._sync = list(state.vc)
    if _live != 1:
        # (While no other thread runs, a release orders nothing that a start does not:
        # the thread that takes the lock next starts later, with this thread's clock.
        # Without a new epoch, the accesses after it stay in FastTrack's same-epoch
        # cases.)
        _tick(state)


def publishing(container):
    """Items are about to be put into `container`, a deque (or data into a channel):
    what the calling thread did so far happens before what a thread does after it
    takes an item out (`received`). The deque's clock is the join of its puts', as the
    deque's own lock orders them: a take acquires every put before it, not only its
    item's.

    While no other thread runs, a put publishes nothing: a thread started later gets
    all that this one did before the start, the put and what followed it included, as
    its start's edge; so a program's deques cost it nothing until it has threads."""
    if _live == 1:
        return
    state = _state()
    shadow = _shadow(container)
    with _stripe(id(container)):
        clock = getattr(shadow, "clock", None)
        if clock is None:
            shadow.clock = list(state.vc)
        else:
            _join(clock, state.vc)
    _tick(state)


def received(container):
    """An item was taken out of `container` (see `publishing` and `putting`)."""
    key = id(container)
    if key not in _shadows or _shadows[key].clock is None:
        return
    shadow = _shadows[key]
    state = _state()
    if _owned_by(shadow.clock, state.tid):
        return
    with _stripe(key):
        clock = shadow.clock
        if type(clock) is int:
            if _owned_by(clock, state.tid):
                return
            # The first take by another thread than the one that put: see `putting`.
            clock = shadow.clock = _epoch_clock(clock)
        _join(state.vc, clock)


def _owned_by(clock, tid):
    """Whether a list's `clock` (see `putting`) leaves a take by thread `tid` nothing to
    acquire: only a thread that took put nothing, or `tid` itself put the last."""
    return type(clock) is int and (clock < 0 or clock & TID_MASK == tid)


def putting(container):
    """Items are about to be put into `container`, a list, to be taken out (`taking`,
    then `received`). A list serves one thread far more often than it carries items
    between threads, and a put that publishes as a deque's does moves the thread's
    epoch on, which has every location it touches next recorded afresh (raytrace,
    whose functions return the lists they fill, ran 3x slower). So a list is a channel
    only once two threads use it. Until then its clock is the epoch of the last put of
    the one thread that put into it (or `-1 - tid` of the one thread that took from
    it, while nothing was put), and a put publishes nothing. A put by a second thread,
    or a take by another thread than the one that put, makes the list a channel:
    its clock is then that first thread's epoch (and a put's whole clock after).

    So the first take by another thread orders only what the putting thread did up
    to its last put's epoch, itself included: not what that thread had acquired
    from others, and, within that epoch, what it did after the put too (a race there is
    missed).

    While no other thread runs, a put does nothing (see `publishing`)."""
    if _live == 1:
        return
    state = _state()
    shadow = _shadow(container)
    clock = shadow.clock
    if clock == state.epoch:
        return
    with _stripe(id(container)):
        clock = shadow.clock
        if clock is None or clock == -1 - state.tid or (
                type(clock) is int and clock >= 0 and clock & TID_MASK == state.tid):
            shadow.clock = state.epoch
            return
        if type(clock) is int:
            # (A thread that only took from it published nothing.)
            clock = shadow.clock = _epoch_clock(clock) if clock >= 0 else []
        _join(clock, state.vc)
    _tick(state)


def taking(container):
    """An item is about to be taken out of `container`, a list (see `putting`)."""
    if _live == 1:
        return
    shadow = _shadow(container)
    if shadow.clock is None:
        shadow.clock = -1 - _state().tid


def _epoch_clock(epoch):
    """The clock that holds `epoch` alone."""
    tid = epoch & TID_MASK
    clock = [0] * (tid + 1)
    clock[tid] = epoch >> TID_BITS
    return clock


def fork(thread):
    state = _state()
    token = _new_token(state.vc, state.token, thread, capture_stack(sys._getframe(1)))
    _tick(state)
    return token


def begin(token):
    # (The clock it was forked with becomes the thread's own.)
    _ended.pop(get_ident(), None)
    vc, token.vc = token.vc, None
    _enter(ThreadState(token.tid, vc, token))
    _LastSteps.mark(token)


def sentinel(lock):
    _state().token.sync_objects.append(lock)


def sentinel_for(token, sync):
    token.sync_objects.append(sync)


def end(token):
    state = _state()
    # What was handed back to it first, its finalizers among what the thread did: a
    # thread that waits here for a sweep to end still runs (and a collection that
    # the sweeping thread starts then joins its clock).
    _let_go_due(state.tid, blocking=True)
    final = list(state.vc)
    for sync in token.sync_objects:
        if sync._sync is None:
            sync._sync = list(final)
        else:
            _join(sync._sync, final)
    # (Before the thread stops counting as running: a collection that another thread
    # starts finds its clock in one or the other.)
    _join(_exited_vc, final)
    # The token outlives its thread (reports name it): it keeps the name, not the
    # Thread object and what that holds, nor the objects its end was published to.
    token.sync_objects = ()
    token.state = None  # (what a sweep finds now is handed back to the main thread)
    if token.thread is not None:
        token.name = getattr(token.thread, "_name", None)
        token.thread = None
    _ended[get_ident()] = (token, final)
    _LastSteps.mark(token)


class _LastSteps:
    """Held by a thread-local that a thread uses first (as it begins) and by one it uses
    last (as it ends): the host lets go of a thread's thread-locals in the order the
    thread first used them (3.11) or in the reverse order (3.13), so one of the two
    goes last, once the finalizers of the others' values (the ended thread's last
    steps) have run. The thread counts as live until both are gone: a thread that runs
    alone records no first access (see `_first_record`), which the last steps of
    another could race with. The token holds the thread-locals: held by nothing but
    their own value for the thread, each would be a cycle that the host's collector
    frees while the thread runs."""

    __slots__ = ("left",)

    @classmethod
    def mark(cls, token):
        local = _host_local()
        if token.last_steps is None:
            token.last_steps = [2]
        token.thread_locals.append(local)
        local.steps = cls(token.last_steps)

    def __init__(self, left):
        self.left = left  # [how many of the thread's two are not gone yet]

    def __del__(self):
        global _live
        try:
            with _tid_lock:
                self.left[0] -= 1
                if not self.left[0]:
                    _live -= 1
        except Exception:
            # (A thread that ends as the host tears this module down: nothing to count.)
            pass


def joined_all():
    _join(_state().vc, _exited_vc)


def module_executed(name):
    """The calling thread has run the body of module `name` (or stores a global of a
    standard-library module `name`): what it wrote is published. (Not while no other
    thread runs: a thread that imports the module later starts later, after this.)"""
    if _live == 1:
        return
    state = _state()
    # (Two threads may store a standard-library module's globals at once.)
    with _tid_lock:
        clock = _import_clocks.setdefault(name, [])
        _join(clock, state.vc)
        _import_versions[name] = _import_versions.get(name, 0) + 1
    _tick(state)


def imported(names):
    """The calling thread got the modules `names` from an import (or read a standard-
    library module's state): it sees their bodies (and what was stored there). A clock
    this thread joined already, unchanged since, is not joined again (standard-library
    modules are read far more often than stored into)."""
    state = _state()
    seen = state.modules
    for name in names:
        # (`in` and a subscript, not `get`: see gilless.instrument.events.)
        if name in _import_versions:
            version = _import_versions[name]
            if name not in seen or seen[name] != version:
                seen[name] = version
                _join(state.vc, _import_clocks[name])


# -- access events ------------------------------------------------------------------

def _new_shadow(target):
    """A shadow for `target`'s address, which had none, held for `target`."""
    shadow = _Shadow()
    shadow.key = key = id(target)
    shadow.attributes = _VACANT
    shadow.items = shadow.clock = shadow.held = shadow.published = shadow.owner = None
    # (Two threads may make one address's shadow at once: the first in the table is the
    # address's, and the other is dropped unused.)
    shadow = _shadows.setdefault(key, shadow)
    if shadow.held is None:
        _claim(shadow, target)
    return shadow


def _shadow(target):
    """`target`'s shadow: the one of its address (claimed for it if vacant), or a new one
    (`access` does this inline)."""
    key = id(target)
    if key in _shadows:
        shadow = _shadows[key]
        if shadow.held is None:
            _claim(shadow, target)
        return shadow
    return _new_shadow(target)


def _claim(shadow, target):
    """Hold the vacant `shadow` for `target` (see _Shadow). Two threads that claim it at
    once for one new object share its tables, emptied when it was vacated, so neither's
    records are lost; one's hold is kept."""
    if type(target).__weakrefoffset__:
        life = _Life(target, _died)
        life.shadow = shadow
        shadow.held = life
    else:
        shadow.held = target
        state = getattr(_tls, "state", None)
        shadow.owner = None if state is None else state.tid
        _young.append(shadow)
        if _due and state is not None and state.tid in _due:
            _let_go_due(state.tid)
        if len(_young) >= YOUNG_SWEEP:
            _sweep()


def _vacate(shadow):
    """Empty `shadow`'s tables and let go of its object (see _Shadow): the tables
    first, since the object's address may be reused once it is let go. (The item table
    is emptied in place: nothing refers to its records but the object's shadow, and a
    dict less made per object is fewer collections for the host's collector. The
    attribute table becomes `_VACANT`, which the next object's first accesses replace
    with a shared one: see `_SHARED`.)"""
    shadow.attributes = _VACANT
    if shadow.items is not None:
        shadow.items.clear()
    shadow.clock = shadow.published = None
    shadow.held = None


def _died(life, _vacate=_vacate):
    # (Bound as a default: this can run while the host tears modules down.)
    shadow = life.shadow
    if shadow.held is life:
        _vacate(shadow)


def _owned(shadow):
    """The shadow's attribute table, copied first if it is shared (see `_SHARED`)."""
    while True:
        table = shadow.attributes
        if _SHARED not in table:
            return table
        own = dict(table)
        del own[_SHARED]
        if _replace(shadow, table, own):
            return own


def _item_table(shadow):
    """The shadow's item table, made by the first thread that needs one."""
    with _stripe(id(shadow)):
        if shadow.items is None:
            shadow.items = {}
        return shadow.items


def _survivors(batch, forced=False):
    """The strong shadows of `batch` whose objects something else refers to; the others
    are vacated, and their objects let go of here, or handed back to the threads that
    claimed them (unless `forced`: see `_hand_back`)."""
    getrefcount = sys.getrefcount
    state = getattr(_tls, "state", None)
    me = None if forced or state is None else state.tid
    alive = []
    for shadow in batch:
        if shadow.held is None or type(shadow.held) is _Life:
            continue  # (vacated, and maybe held since for an object of another kind)
        # (The second reference is getrefcount's argument.)
        if getrefcount(shadow.held) > 2:
            alive.append(shadow)
        else:
            target, owner = shadow.held, shadow.owner
            _vacate(shadow)
            if me is not None and owner is not None and owner != me:
                _hand_back(owner, target)
    return alive


def _hand_back(owner, target):
    """`target`, which only its strong shadow held, found so by another thread's sweep
    (under `_sweeping`): the thread that claimed it lets go of it, at its next claim or
    acquisition or as it ends, or the main thread, if that one has ended. Without the
    detector the object would have been finalised in the thread that dropped it,
    mostly the one that made and used it (a finalizer that closes an SQLite connection
    fails in any other)."""
    token = _tokens[owner] if owner < len(_tokens) else None
    if token is None or token.state is None:
        owner = 0
    _due.setdefault(owner, []).append(target)


def _let_go_due(tid, blocking=False):
    """Let go of the objects handed back to thread `tid` (the calling one), unless it
    is sweeping (a finalizer that a sweep let run)."""
    if getattr(_tls, "sweeping", False) or not _sweeping.acquire(blocking=blocking):
        return
    try:
        due = _due.pop(tid, None)
    finally:
        _sweeping.release()
    # Each let go of here, where its finalizer runs (on a free-threaded host, the list
    # let go of whole would be freed, its items with it, by the thread that made it).
    while due:
        due.pop()


def _sweep(blocking=False, forced=False):
    """Move the young strong shadows whose objects something else refers to among the
    old, vacating the others, and sweep the old once they have doubled (or `forced`);
    returns how many strong shadows were vacated. One sweeper at a time: unless
    `blocking`, another thread's young shadows wait for the next sweep."""
    if not _sweeping.acquire(blocking=blocking):
        return 0
    _tls.sweeping = True
    try:
        held = len(_young) + len(_old)
        batch = _young[:]
        del _young[:len(batch)]
        _old.extend(_survivors(batch, forced))
        if forced or len(_old) >= _old_sweep_at:
            _sweep_old(forced)
        if forced:
            _due.clear()  # (what was handed back too, at the collection asked for)
        return held - len(_young) - len(_old)
    finally:
        _tls.sweeping = False
        _sweeping.release()


def _sweep_old(forced=False):
    """Vacate the strong shadows of objects that only their shadow keeps alive; and, when
    `forced` or the old have grown fourfold since the last search, those that only keep
    reference cycles alive (see `_outside_cycles`)."""
    global _old_sweep_at, _cycle_search_at
    batch = _old[:]
    del _old[:len(batch)]
    batch = _survivors(batch, forced)
    if len(batch) >= _cycle_search_at or forced:
        batch = _outside_cycles(batch)
        _cycle_search_at = max(CYCLE_SEARCH_AT, 4 * len(batch))
    _old.extend(batch)
    _old_sweep_at = max(YOUNG_SWEEP, 2 * len(_old))


def release_cycles():
    """Before a collection the program asked for (`gc.collect()`): vacate the strong
    shadows that keep garbage alive, so that the collection frees what it frees
    without the detector; returns how many were vacated (none while this thread
    sweeps: a finalizer that a sweep let run may collect)."""
    if getattr(_tls, "sweeping", False):
        return 0
    return _sweep(blocking=True, forced=True)


def release_all():
    """At exit, once the verdict is given and no event comes any more: let go of every
    object the strong shadows hold."""
    with _sweeping:
        for shadow in _young + _old:
            if shadow.held is not None and type(shadow.held) is not _Life:
                _vacate(shadow)
        del _young[:], _old[:]
        _due.clear()


# How far the cycle search goes beyond the shadowed objects: objects per shadow, and
# at least.
CYCLE_SEARCH_FACTOR = 8
CYCLE_SEARCH_MIN = 10000
# What the cycle search does not enter: classes are referred to from nearly everything
# (a search through them would cover the heap) and are rarely garbage; a shadow's
# reference is counted as its target's own. Nor does it enter the modules of the host's
# and the guest's `sys.modules` and their namespaces, for the same reason (but a module
# that was taken out of them can be garbage).
_NOT_SEARCHED = (type, _Shadow, _Life)
# (Checked on each object's type: `isinstance` would also ask the object for its
# `__class__`, which a weak proxy forwards, and a dead one answers with ReferenceError.)
# The reference a free-threaded host's deferred counting adds (modules and functions).
_deferred = hoststack.deferred_references()
_module_namespace = types.ModuleType.__dict__["__dict__"].__get__


def _loaded_modules():
    """The ids of the modules of the host's and the guest's `sys.modules`, and of their
    namespaces."""
    loaded = set()
    for table in (sys.modules, world.modules or {}):
        for module in list(table.values()):
            if issubclass(type(module), types.ModuleType):  # (not a proxy of one)
                loaded.add(id(module))
                loaded.add(id(_module_namespace(module)))
    return loaded


def _outside_cycles(batch):
    """The strong shadows of `batch` whose objects are alive without the detector;
    the others, whose objects only reference cycles through strong shadows keep alive,
    are vacated (the host's collector then frees them).

    The reckoning is the host collector's, over the objects reachable from the
    shadowed ones (up to a bound; not through classes, nor loaded modules): an object
    of that graph that has more references than the graph and the shadows account for
    is referred to from elsewhere, so it and all it reaches are alive. An object outside
    the graph counts as a referrer from elsewhere, so a cycle that leaves the graph is
    kept. On a free-threaded host other threads run during the count: a reference
    moved meanwhile may make a live object look like garbage, and its shadow is then
    vacated, with its history (a later access is a first one: a race may be missed,
    none is made up)."""
    is_tracked, get_referents = gc.is_tracked, gc.get_referents
    loaded = _loaded_modules()

    def searched(obj):
        # (An object that refers to none of these cannot be in a cycle.)
        return [referent for referent in get_referents(obj)
                if is_tracked(referent) and not issubclass(type(referent), _NOT_SEARCHED)
                and id(referent) not in loaded]

    held = {}       # id -> object, for each object of the graph
    found = {}      # id -> the referents to search of an object of the graph
    shadowed = {}   # id -> the strong shadow holding it
    leaves = set()  # the ids of objects found to be in no cycle
    for shadow in batch:
        target = shadow.held
        if not is_tracked(target):
            continue  # (nothing to search, and only atomic values in it)
        referents = searched(target)
        if shadow.items:
            # An item table keeps the container's keys: the shadow's references are the
            # object's here.
            referents += searched(list(shadow.items))
        if referents:
            held[id(target)] = target
            found[id(target)] = referents
            shadowed[id(target)] = shadow
        else:
            leaves.add(id(target))
    # (A reference of this function's own would count as one from elsewhere.)
    target = referents = None
    if not held:
        return batch
    limit = max(CYCLE_SEARCH_MIN, CYCLE_SEARCH_FACTOR * len(held))
    edges = {}      # id -> the ids of the objects it refers to
    pending = list(held)
    for key in pending:
        referents = found.pop(key)
        edges[key] = list(map(id, referents))
        for referent in referents:
            if id(referent) in held or id(referent) in leaves or len(held) >= limit:
                continue
            more = searched(referent)
            if more:
                held[id(referent)] = referent
                found[id(referent)] = more
                pending.append(id(referent))
            else:
                leaves.add(id(referent))
        referents = referent = more = None
    referenced = Counter(chain.from_iterable(edges.values()))
    for key in shadowed:
        referenced[key] += 1
    # The references this function holds to each object of the graph, as a probe
    # shows: `held`'s, the loop's and getrefcount's argument.
    probe = []
    held[id(probe)] = probe
    probe = None
    getrefcount = sys.getrefcount
    extra = {key: getrefcount(target) - referenced[key] for key, target in held.items()}
    if _deferred is not None:
        for key, target in held.items():
            extra[key] -= _deferred(target)
    own = extra.pop(next(reversed(extra)))
    alive = [key for key, count in extra.items() if count != own]
    reached = set(alive)
    while alive:
        for other in edges[alive.pop()]:
            if other not in reached and other in held:
                reached.add(other)
                alive.append(other)
    held.clear()
    kept = []
    for shadow in batch:
        key = shadow.key
        if key in shadowed and key not in reached and shadowed[key] is shadow:
            _vacate(shadow)
        else:
            kept.append(shadow)
    return kept


def access(target, space, key, flags, stack=None, frame=None, line=0, _tls=_tls,
           _shadows=_shadows, id=id,
           _getframe=sys._getframe, capture_stack=capture_stack, ATTR=ATTR, VAR=VAR,
           STRUCT=STRUCT, STRUCTURE=STRUCTURE, WRITE=WRITE, THROUGH_CLASS=THROUGH_CLASS):
    # (What it loads as default arguments: see gilless.instrument.events._bind. A run of
    # accesses, `access_run`, gives the first access's `stack`, and the `frame` and
    # `line` of the others.)
    try:
        state = _tls.state
    except AttributeError:
        state = _state()
    # The main thread, while no other thread runs (see `_first_record`).
    alone = _live == 1 and not state.tid
    # The shadow found by id is the target's, or vacant (and then the target's from now
    # on): a weakly held one is vacated (by its `_Life`) before its target's address can
    # be reused, and a strong one keeps its target alive.
    # (Looked up with `in`, not `get`: see gilless.instrument.events. `_shadow`, inline.)
    key_id = id(target)
    if key_id in _shadows:
        shadow = _shadows[key_id]
        if shadow.held is None:
            _claim(shadow, target)
    elif alone:
        return
    else:
        shadow = _new_shadow(target)
    if shadow.published is not None:
        _handed(shadow.published, state)
    if space == ATTR or space == VAR:
        table = shadow.attributes
        slot = key
    else:
        table = shadow.items
        if table is None:
            table = _item_table(shadow)
        slot = STRUCTURE if space == STRUCT else key
    location = table[slot] if slot in table else None
    epoch = state.epoch
    through_class = flags & THROUGH_CLASS
    if through_class:
        flags ^= THROUGH_CLASS
    if location is None:
        # The first access: nothing to race with, only to remember.
        if alone:
            return
        # (Frame 2 is the guest's, or an event function's, which the stack skips.)
        if stack is None:
            if space == ATTR and _SHARED in table and not flags & ATOMIC:
                if _first_shared(shadow, table, _getframe(2), state, key,
                                 flags | through_class, epoch):
                    return
                table = shadow.attributes
            stack = capture_stack(_getframe(2), state.stacks)
        first = _first_record(flags | through_class, epoch, stack)
        if _SHARED in table:
            table = _owned(shadow)
        location = table.setdefault(slot, first)
        if location is first:
            return
    # FastTrack's same-epoch cases, read-shared included (the instrumentation layer
    # checks the same fields before it calls).
    if flags & WRITE:
        if location[WRITE_SEEN if flags == WRITE else ATOMIC_SEEN] == epoch:
            return
    elif through_class:
        if _read_seen(location, epoch, state.tid):
            return
    elif location[READ_SEEN] == epoch or epoch in location[READS_SEEN]:
        return
    if frame is None:
        frame = _getframe(2)
        line = None
    if alone:
        # No thread that runs later can race with this access (a thread starts after it),
        # so its stack is only reported if it races with a thread that ended (then walked
        # in full), and the cache's will do.
        stack = _stack_at(frame, line, state.stacks)
    else:
        # (Walked in full: see capture_stack.)
        stack = _stack_at(frame, line, None)
        frame = None
    if _SHARED in table:
        table = _owned(shadow)
    _update(state, table, slot, flags, through_class, stack, target, space, key, frame,
            line)


def _stack_at(frame, line, cache):
    """The stack of an access made by `frame` (at its instruction, or at `line` of a run:
    see `access_run`), through `cache` or (None) walked in full."""
    if line is None:
        return capture_stack(frame, cache)
    return capture_stacks(frame, cache, (line,))[0]


def _update(state, table, slot, flags, through_class, stack, target, space, key,
            frame=None, line=None):
    """Record an access at `stack` that the same-epoch cases leave to FastTrack's full
    rules. The fast paths only read a location's state; its updates are serialised per
    shadow table (by a lock of a fixed set), so that two threads recording the same
    location at once on a free-threaded host lose nothing. With `frame` (and `line`),
    `stack` came from the stack cache: a race is reported with the access's stack
    walked in full there."""
    with _stripe(id(table)):
        try:
            location = table[slot]
            if flags & WRITE:
                location = _write(state, location, stack, flags, target, space, key)
            else:
                location = _read(state, location, stack, target, space, key)
            table[slot] = _unfiltered(location) if through_class else location
        except Exception as error:
            _internal_error(error)
    if state.found:
        if frame is not None:
            walked = _stack_at(frame, line, None)
            state.found = [(walked,) + found[1:] if found[0] is stack else found
                           for found in state.found]
        _report_found(state)


def access_run(target, space, keys, lines, flags, _getframe=sys._getframe,
               capture_stacks=capture_stacks, WRITE=WRITE, UPDATE=UPDATE,
               THROUGH_CLASS=THROUGH_CLASS):
    """Accesses of `target`'s attributes or items (`space`) `keys`, at `lines` of the
    guest's frame, with `flags` each (None: no access; UPDATE: a read, then a write),
    made by a run of reads, stores or updates and reported at once (see
    gilless.instrument.events.ra_run and wa_run): `access` for each, with one look for
    the shadow and one stack for them all; the commonest, an attribute's first access
    (the stores of an `__init__`), made here."""
    state = _state()
    alone = _live == 1 and not state.tid
    if alone and id(target) not in _shadows:
        # (First accesses of the main thread running alone: see `_first_record`.)
        return
    shadow = _shadow(target)
    if shadow.published is not None:
        _handed(shadow.published, state)
    epoch = state.epoch
    frame = _getframe(2)
    if space == ATTR:
        table = shadow.attributes
        if _SHARED in table and not alone:
            # A fresh object's first accesses (the stores of its `__init__`).
            if _first_shared(shadow, table, frame, state, keys, flags, epoch, lines):
                return
            table = shadow.attributes
    else:
        table = shadow.items
        if table is None:
            table = _item_table(shadow)
    stacks = None
    for index, key in enumerate(keys):
        flag = flags[index]
        if flag is None:
            continue
        if key in table:
            # (The same-epoch cases: a write in this epoch, of a write and of an update;
            # of a read, as the instrumentation layer's filter.)
            location = table[key]
            if flag & WRITE:
                if location[WRITE_SEEN] == epoch:
                    continue
            elif location[READ_SEEN] == epoch or epoch in location[READS_SEEN]:
                continue
        elif alone:
            continue
        elif not flag & UPDATE:
            if stacks is None:
                stacks = capture_stacks(frame, state.stacks, lines)
            first = _first_record(flag, epoch, stacks[index])
            if _SHARED in table:
                table = _owned(shadow)
            if table.setdefault(key, first) is first:
                continue
        if stacks is None:
            stacks = capture_stacks(frame, state.stacks, lines)
        if flag & UPDATE:
            flag ^= UPDATE
            access(target, space, key, flag & THROUGH_CLASS, stacks[index], frame,
                   lines[index])
        access(target, space, key, flag, stacks[index], frame, lines[index])


def _first_record(flags, epoch, stack, NO_READS=NO_READS):
    """A location's record after its first access, with `flags` (READ, WRITE, an atomic
    WRITE; maybe THROUGH_CLASS), made in `epoch` at `stack`.

    None is made for a first access of the main thread while no other thread runs (nor
    a shadow for its object): a thread that starts later starts after it, and no thread
    that ran before can access anything again, so nothing can race with it. Its
    location gets its first record at its first access once another thread runs; an
    access to a location that has a record (made while threads ran) is checked and
    recorded as ever, and races with a thread that ended unjoined are found so."""
    if (flags & ~THROUGH_CLASS) == WRITE:
        first = (epoch, epoch, 0, NO_READS, stack, 0, None, None, None)
    elif flags & WRITE:
        first = (0, 0, epoch, NO_READS, stack, 0, None, None, None)
    else:
        first = (epoch, 0, 0, NO_READS, None, epoch, stack, None, None)
    return _unfiltered(first) if flags & THROUGH_CLASS else first


def _first_shared(shadow, table, frame, state, keys, flags, epoch, lines=None):
    """Whether the first accesses to attributes `keys` of the object of `shadow`, whose
    table `table` is shared (or `_VACANT`), made at `frame` in `epoch`, were recorded by
    giving the shadow a shared table (see `_SHARED`): the one made for the same accesses
    at the same place after the same table. A run's (`keys`, `flags`: see
    `access_run`), kept by its `lines`; or a single access's (`keys` a name, `flags`
    its flags, no `lines`), kept by its instruction's offset. Not if another thread
    changed the table meanwhile (see `_replace`)."""
    memo = frame_memo(frame, state.stacks)
    if memo is None:
        return False
    where = frame.f_lasti if lines is None else lines
    try:
        known = memo[where]
        # (The run's flags and names are constants of the place, and so is the name of
        # a single access, mostly: another one is worked out again.)
        if (known[0] != epoch or known[1] is not flags or known[2] is not keys
                or known[3] is not table):
            raise KeyError
    except KeyError:
        if lines is None:
            shared = dict(table)
            shared[keys] = _first_record(flags, epoch, capture_stack(frame, state.stacks))
        else:
            shared = _first_run_table(table, frame, state.stacks, keys, lines, flags, epoch)
        known = memo[where] = (epoch, flags, keys, table, shared)
    return known[4] is not None and _replace(shadow, table, known[4])


# The locks of the changes of a shadow's attribute table on a free-threaded host (see
# `_replace`): plain locks, held for a few instructions that make nothing.
_table_locks = tuple(host_threading.Lock() for _ in range(64))

# Every change of a shadow's attribute table is a look at the table it has and a store
# of the new one if it still has it. On a host with a GIL the two run with no call
# between them, where the GIL lets no other thread in; a free-threaded host runs them
# under a lock of `_table_locks` (without it, both threads of a program that sets an
# event and then writes what the other reads as it wakes made their first accesses to
# the object within the same instructions in 4% of the runs, and one's record was lost).
if hostbuild.FREE_THREADED_BUILD:
    def _replace(shadow, table, new, id=id):
        """Whether `new` took the place of `shadow`'s shared attribute table `table`,
        which it still had."""
        # (The lock of the fixed set, as `_stripe` finds one.)
        address = id(shadow)
        lock = _table_locks[(address >> 6 ^ address >> 12) & 63]
        lock.acquire()
        try:
            if shadow.attributes is table:
                shadow.attributes = new
                return True
            return False
        finally:
            lock.release()
else:
    def _replace(shadow, table, new):
        """Whether `new` took the place of `shadow`'s shared attribute table `table`,
        which it still had."""
        if shadow.attributes is table:
            shadow.attributes = new
            return True
        return False


def _first_run_table(base, frame, cache, keys, lines, flags, epoch):
    """The shared attribute table (see `_SHARED`) after a run's first accesses to
    locations that the shared table `base` has none of, or None if the run has no such
    table (a name in `base`, an update, a name that is no data)."""
    for key, flag in zip(keys, flags):
        if flag is None or flag & UPDATE or key in base:
            return None
    table = dict(base)
    for key, flag, stack in zip(keys, flags, capture_stacks(frame, cache, lines)):
        # (A name stored twice keeps its first record, as `access_run`'s.)
        table.setdefault(key, _first_record(flag, epoch, stack))
    return table


# Reentrant: a report may run a guest __repr__, whose accesses are recorded too.
_stripes = tuple(host_threading.RLock() for _ in range(64))


def _stripe(address):
    """The lock of the fixed set that serialises updates of the object at `address`.
    Not the address modulo the set's size: the host allocates objects of one size at
    addresses of one residue modulo that size (every dict at a multiple of 64), so the
    low bits would send every table to one lock, which all threads would then share."""
    return _stripes[(address >> 6 ^ address >> 12) & 63]
_internal_errors = []


def _internal_error(error):
    """A bug of the detector: kept out of the program, and said once."""
    if not _internal_errors:
        print("gilless: internal error in the race detector (this is a bug in gilless, "
              "not in your program):", file=sys.__stderr__)
        host_module("traceback").print_exception(type(error), error, error.__traceback__,
                                                 file=sys.__stderr__)
    _internal_errors.append(error)


def _unfiltered(location):
    """`location`'s record with no epoch in which the instrumentation layer drops a read
    (an attribute read through the class: see THROUGH_CLASS)."""
    return (0, location[WRITE_SEEN], location[ATOMIC_SEEN], NO_READS) + location[4:]


def _read_seen(location, epoch, tid):
    """Whether a read in `epoch` adds nothing to `location` (FastTrack's same-epoch
    cases, from the fields that READ_SEEN and READS_SEEN would sum up)."""
    if location[READ_EPOCH] == epoch or location[WRITE_SEEN] == epoch:
        return True
    reads = location[READS]
    return reads is not None and tid in reads and reads[tid][0] == epoch


def _read(state, location, stack, target, space, key):
    """A read's new state of `location`, reporting the write it races with, if any."""
    vc = state.vc
    epoch = state.epoch
    # (The last write's epoch: at most one of the two is set.)
    write = location[WRITE_SEEN] or location[ATOMIC_SEEN]
    atomics = location[ATOMICS]
    if write and not _before(write, vc):
        _race(state, stack, 0, location[WRITE_STACK], write,
              WRITE if location[WRITE_SEEN] else WRITE | ATOMIC, target, space, key)
    elif atomics is not None:
        _check_atomics(state, atomics, stack, 0, target, space, key)
    read = location[READ_EPOCH]
    if read == 0 or (read != SHARED and _before(read, vc)):
        return (epoch, location[WRITE_SEEN], location[ATOMIC_SEEN], NO_READS,
                location[WRITE_STACK], epoch, stack, None, atomics)
    # Reads by threads concurrent with each other: FastTrack's read map.
    if read == SHARED:
        reads = location[READS]
        reads[state.tid] = (epoch, stack)
    else:
        reads = {read & TID_MASK: (read, location[READ_STACK]), state.tid: (epoch, stack)}
    seen = tuple(map(_first, list(reads.values())))
    return (epoch, location[WRITE_SEEN], location[ATOMIC_SEEN], seen, location[WRITE_STACK],
            SHARED, None, reads, atomics)


def _write(state, location, stack, flags, target, space, key):
    """A write's new state of `location`, reporting the access it races with, if any."""
    vc = state.vc
    epoch = state.epoch
    write = location[WRITE_SEEN] or location[ATOMIC_SEEN]
    write_flags = WRITE if location[WRITE_SEEN] else WRITE | ATOMIC
    atomics = location[ATOMICS]
    concurrent = write and not _before(write, vc)
    if concurrent and not (flags & write_flags & ATOMIC):
        _race(state, stack, flags, location[WRITE_STACK], write, write_flags,
              target, space, key)
    elif atomics is not None and not flags & ATOMIC:
        _check_atomics(state, atomics, stack, flags, target, space, key)
    read = location[READ_EPOCH]
    if read == SHARED:
        for read_epoch, read_stack in list(location[READS].values()):
            if not _before(read_epoch, vc):
                _race(state, stack, flags, read_stack, read_epoch, 0, target, space, key)
                break
        # FastTrack: every read so far happens before this write (else it was reported).
        read, read_stack = 0, None
    else:
        read_stack = location[READ_STACK]
        if read and not _before(read, vc):
            _race(state, stack, flags, read_stack, read, 0, target, space, key)
    if flags == WRITE:
        # (A read after this thread's plain write in the same epoch adds nothing: any
        # later conflicting access conflicts with that write too.)
        return (epoch, epoch, 0, NO_READS, stack, read, read_stack, None, None)
    if concurrent and (write & TID_MASK) != state.tid:
        atomics = dict(atomics or ())
        atomics[write & TID_MASK] = (write, location[WRITE_STACK])
    return (read, 0, epoch, NO_READS, stack, read, read_stack, None, atomics)


def _check_atomics(state, atomics, stack, flags, target, space, key):
    for tid, (epoch, atomic_stack) in list(atomics.items()):
        if tid != state.tid and not _before(epoch, state.vc):
            _race(state, stack, flags, atomic_stack, epoch, WRITE | ATOMIC, target, space, key)
            return


def _race(state, stack, flags, previous_stack, previous_epoch, previous_flags,
          target, space, key):
    # Reported by `_update` once the stripe's lock is let go: describing and reporting
    # a race runs code of the program's (a key's repr) and of the standard library,
    # whose accesses would wait for stripes that threads reporting at once hold.
    state.found.append((stack, flags, previous_stack, previous_epoch, previous_flags,
                        target, space, key))


def _report_found(state):
    found = state.found
    state.found = []
    for stack, flags, previous_stack, previous_epoch, previous_flags, target, space, key \
            in found:
        if _finalizing(target):
            continue
        previous_token = _tokens[previous_epoch & TID_MASK]
        _report(Race(
            location=describe_location(target, space, key),
            current=Access(flags, stack, state.token),
            previous=Access(previous_flags, previous_stack, previous_token)))


def _finalizing(target):
    """Whether the calling thread is running `target`'s finalizer (its `__del__`), which
    runs once no other thread refers to `target`: whatever was done to the object before
    happens before it. (When the collector finalises an object, it has cleared the weak
    reference of its shadow first, and the finalizer's accesses are first ones; when the
    last reference goes, the finalizer runs first, in whichever thread let go.)"""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if (code.co_name == "__del__" and code.co_argcount
                and frame.f_locals.get(code.co_varnames[0]) is target):
            return True
        frame = frame.f_back
    return False


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
        """(file, function) of the innermost frame of each access, and of its caller
        (the two frames a recorded stack always has right: see capture_stack)."""
        functions = set()
        for stack in (self.current.stack, self.previous.stack):
            for _ in range(2):
                if not stack:
                    break
                functions.add((stack[0].co_filename, stack[0].co_name))
                stack = stack[2]
        return functions

    def sites(self):
        """The pair of source lines that identifies this race for deduplication."""
        return frozenset((_site(self.current.stack), _site(self.previous.stack)))


def _site(stack):
    if not stack:
        return None
    return stack[0].co_filename, line_of(stack[0], stack[1])


def describe_location(target, space, key):
    return describe(target, space, key, _short_repr)


def _short_repr(value):
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= 60 else text[:57] + "..."
