"""The synchronisation events: the guest `_thread` and `_queue.SimpleQueue`, observed.

Everything the standard library synchronises with is built on the guest
`_thread`: `threading`'s locks, conditions, events, semaphores and barriers,
`queue.Queue`, `concurrent.futures` and importlib's module locks. So the
guest's copy of `_thread` gets thin wrappers around the host's primitives
that tell the consumer when a lock is taken or given back and when a
thread starts and ends; the waiting itself is the host's, so threads still
run in parallel. The few primitives that synchronise in C without a guest
lock are covered here too: `_queue.SimpleQueue` (the work queue of
`ThreadPoolExecutor`), the end of a thread as `join` sees it (CPython's
sentinel lock, or 3.13's thread handles), and the publication of a module
by `import` (`import_hook`).

Each wrapper has a `_sync` slot that the consumer owns (its clock, for the
race detector): no table keyed by `id()`, so nothing is confused by an
address the host reuses. Locks and RLocks also tell a second consumer, the
lock-order checker (`gilless.lockorder`, in its `_order` slot), where guest
code made them and each acquire, release and acquire that gave up.
"""

import _thread as host_thread
import builtins as host_builtins
import collections
import functools
import itertools
import operator
import sys
import weakref
from time import perf_counter

from gilless.base import hostbuild
from gilless.base.frames import (GILLESS_DIR, HOST_BUILTINS, INTERNAL_MARKER,
                                 hide_internal_frames, hides_frames, report_import_calls)
from gilless.base.hoststack import call_at_bottom
from gilless.compiler.lowering import UNWATCHED
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.threadmodule import (LockAround, RLockAround, ThreadHandleAround,
                                         check_start_arguments, give_lock_methods,
                                         replace_primitives)


class _Unobserved:
    """The consumer, and the lock consumer, while no tool observes (none installed, or
    the tool has finished): every event is dropped."""

    def _drop(self, *args, **kwargs):
        return None

    acquired = releasing = fork = begin = end = sentinel = sentinel_for = \
        joined_all = imported = created = not_acquired = signal = reinitialized = _drop


_consumer = _locks = _Unobserved()
# consumer.created, for a consumer that names locks by where they were made (None: none).
_created = None
# What reports an exception that ends a thread as CPython's thread_run does (set by the
# mode that installs these wrappers: gilless.concurrency.gil's).
report_thread_exception = None


def install(consumer, locks=None):
    global _consumer, _locks, _created
    _consumer = consumer
    _locks = locks if locks is not None else _Unobserved()
    _created = getattr(consumer, "created", None)


def uninstall():
    install(_Unobserved())


# Methods that can raise (bad arguments, Ctrl-C, releasing an unlocked lock) raise as
# the C methods they stand for, with no gilless frame (give_lock_methods).

def _acquire(self, blocking=True, timeout=-1):
    acquired = self._host.acquire(blocking, timeout)
    if acquired:
        _consumer.acquired(self)
        # (A timeout is valid once the acquire succeeded: -1, or not negative.)
        _locks.acquired(self, blocking and timeout < 0)
    elif blocking:
        # (A non-blocking acquire that fails is a probe: Condition._is_owned.)
        _locks.not_acquired(self)
    return acquired


def _release(self):
    if self._host.locked() if type(self) is LockType else self._host._is_owned():
        _consumer.releasing(self)
        _locks.releasing(self)
    self._host.release()


class LockType(LockAround):
    """`_thread.lock`, observed."""

    __slots__ = ()
    __module__ = "_thread"

    def __init__(self):
        # (3.13's `threading.Lock` is this type itself, not `allocate_lock`.)
        LockAround.__init__(self)
        creator = _creator()
        if creator is not None and creator is not BOOKKEEPING:
            _locks.created(self, creator)


LockType.__name__ = LockType.__qualname__ = "lock"
give_lock_methods(LockType, _acquire, _release,
                  ("acquire_lock", "release_lock", "locked_lock"))


def _at_fork_reinit(self):
    # (No release: nothing happens after it. In a child process after fork.)
    self._host._at_fork_reinit()
    _locks.reinitialized(self)


LockType._at_fork_reinit = _at_fork_reinit


class RLock(RLockAround):
    """`_thread.RLock`, observed."""

    __slots__ = ()
    __module__ = "_thread"

    @hides_frames
    def _release_save(self):
        # Condition.wait gives the lock up entirely before it waits.
        if self._host._is_owned():
            _consumer.releasing(self)
            _locks.releasing(self, entirely=True)
        return self._host._release_save()

    @hides_frames
    def _acquire_restore(self, state):
        self._host._acquire_restore(state)
        _consumer.acquired(self)
        # (The state is the host's (depth, owner).)
        _locks.acquired(self, True, state[0])


give_lock_methods(RLock, _acquire, _release)
RLock._at_fork_reinit = _at_fork_reinit

BOOKKEEPING = object()


def _creator():
    """The innermost guest frame of the code allocating a lock (None if there is
    none), or BOOKKEEPING when that code is the module body of `threading` or of
    the import system: the locks those keep for their own tables (`threading`'s
    `_active_limbo_lock`, taken by every thread's start and end) would order every
    thread's end before every later thread's start, and so hide the races of threads
    that happened not to overlap. A program cannot reach them, so they are left as the
    host's own locks, and make no event."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_filename in UNWATCHED:
            if code.co_name == "<module>":
                return BOOKKEEPING
        elif not code.co_filename.startswith(GILLESS_DIR):
            return frame
        frame = frame.f_back
    return None


def allocate_lock():
    creator = _creator()
    if creator is BOOKKEEPING:
        return host_thread.allocate_lock()
    if _timing:
        return TimedLock._wrapping(host_thread.allocate_lock(), counted=True)
    lock = LockType._wrapping(host_thread.allocate_lock())
    if creator is not None:
        _locks.created(lock, creator)
    return lock


def _rlock(*args, **kwargs):
    creator = _creator()
    if creator is BOOKKEEPING:
        return host_thread.RLock(*args, **kwargs)
    lock = _rlock_type(*args, **kwargs)
    if creator is not None:
        _locks.created(lock, creator)
    return lock


def _run(token, function, args, kwargs):
    """The body of every guest thread: the consumer sees its first and last steps."""
    _consumer.begin(token)
    try:
        # The thread's stack begins with the guest's function, as CPython's does.
        call_at_bottom(function, *args, **kwargs)
    except SystemExit:
        pass
    except BaseException as error:
        report_thread_exception(function, error)
    finally:
        _consumer.end(token)


def _thread_object(function):
    """The guest Thread whose `_bootstrap` is `function`, if it is one."""
    return getattr(function, "__self__", None)


# The module functions below become BuiltinFunctions (patch_thread_module), which hide
# gilless frames from what they raise.

def start_new_thread(function, args, kwargs=None, /):
    kwargs = check_start_arguments(function, args, kwargs)
    token = _consumer.fork(_thread_object(function))
    return host_thread.start_new_thread(_run, (token, function, args, kwargs))


def _set_sentinel():
    """CPython up to 3.12: the lock the host releases when the calling thread ends, which
    `Thread.join` acquires; the thread's end is published through it."""
    lock = _lock_type._wrapping(host_thread._set_sentinel())
    _consumer.sentinel(lock)
    # The thread holds it all its life, and the host releases it.
    _locks.signal(lock)
    return lock


class _ThreadHandle(ThreadHandleAround):
    """3.13's `_thread._ThreadHandle`: a join publishes the thread's end to the joiner."""

    __slots__ = ()

    @hides_frames
    def join(self, timeout=None):
        self._host.join(timeout)
        if self._host.is_done():
            _consumer.acquired(self)

    def is_done(self):
        # (`Thread.is_alive()` returning False sees the thread's end, as a join does.)
        if self._host.is_done():
            _consumer.acquired(self)
            return True
        return False


def start_joinable_thread(function, handle=None, daemon=True):
    if handle is None:
        handle = _ThreadHandle._wrapping(host_thread._ThreadHandle())
    token = _consumer.fork(_thread_object(function))
    # The end of the thread is published through its handle.
    _consumer.sentinel_for(token, handle)
    host_thread.start_joinable_thread(functools.partial(_run, token, function, (), {}),
                                      handle=handle._host, daemon=daemon)
    return handle


def _make_thread_handle(ident):
    return _ThreadHandle._wrapping(host_thread._make_thread_handle(ident))


def _shutdown():
    if _timing:
        token = _consumer.waiting(None, "join")
        try:
            host_thread._shutdown()
        finally:
            _consumer.waited(token)
    else:
        host_thread._shutdown()
    # It waited for every non-daemon thread to end.
    _consumer.joined_all()


def threads_shut_down():
    """`threading._shutdown` returned: every non-daemon thread has ended. Up to 3.12 it
    waits on the sentinel locks of the threads still running only, and drops those of
    the threads that ended before unacquired: their ends are given here (3.13's
    `_thread._shutdown` gives them itself)."""
    # (The schedule explorer, which patches `_thread` its own way, has no `joined_all`.)
    joined_all = getattr(_consumer, "joined_all", None)
    if joined_all is not None and not hasattr(host_thread, "_shutdown"):
        joined_all()


# -- creations and timed waits ----------------------------------------------------------
#
# A consumer that profiles (the thread profiler) has three more functions:
#     created(lock)  a guest lock or RLock was just made (3.13's `threading.Lock` makes
#         one by calling the type, so this is called from the types' __init__); it may
#         put a LockCounts in the lock's `_sync` slot, which then counts for the lock;
#     waiting(sync, kind) -> token  a thread is about to block: kind "lock" (an acquire
#         that found the lock taken, or a condition's re-acquire; sync is the lock's
#         LockCounts, or the lock), "join", "queue" (SimpleQueue.get on an empty queue)
#         or "sleep" (time.sleep; sync is None);
#     waited(token) -> (record, seconds)  it stopped waiting (woken, timed out, or
#         interrupted); what the consumer added the wait to, and for how long (which a
#         sampled lock's window keeps: see `finish`), or None.
# `observe_waits` switches to the types below, once per process and before guest code
# runs. Without it (the race detector) the calls above stay as they are, no slower.
# The consumer's sampler calls `tick` at every tick and takes `drain`'s waits, and under
# a GIL asks `entry_place` about the threads it finds blocked; at exit it takes `drain`'s
# and `finish`'s.
#
# Every lock operation of a program goes through these types, and a queue's put and get
# take four each, so most of the time a lock's operations are the host's C methods: its
# `acquire`, `release`, `__enter__` and `__exit__` are slots of the lock (Python's special
# method lookup and attribute lookup both read them), which hold either those or the
# counting methods of its LockCounts (a Python call each: `with lock:` 300 ns against
# 165 under a GIL, 500 against 155 on a free-threaded host). A lock is counted in full
# until it is taken more than HOT_RATE times a second; it is then sampled (see `tick`).

TIMED_ALL = 64
TIMED_EVERY = 16    # a power of two (the counting methods test `count & 15`)
HOT_RATE = 50_000
SAMPLE_EVERY = 8
WINDOW = 256
# A sampled lock taken less than a quarter as often as a hot one in its window is counted
# in full again.
COOL_SHARE = 4
# The sampler's tick number, the acquisitions in one tick that make a lock hot, and the
# sampled locks (see `tick`).
_tick = 0
_hot_per_tick = 250
_sampled = []
# The locks that ever were sampled (whose methods may be the host's, see `drain`).
_fast_locks = []
# (code, instruction) of a `with` statement and of its caller -> the LockCounts of the
# lock it entered (see entry_place; learnt under a GIL only, where the sampler asks).
_entry_places = {}
_LEARN_ENTRIES = not hostbuild.FREE_THREADED_BUILD
# A lock's states: counted in full; sampled, in a window or between two.
EXACT, OPEN, FAST = range(3)


class LockCounts:
    """A profiled lock's counts and its counting methods, kept by whoever holds the
    lock (so they need no lock of their own on a free-threaded host).

    Acquisitions are counted exactly, as a `with` statement's entries plus the
    releases (an `acquire` is matched by a `release`, or by a Condition's
    `_release_save` followed by `_acquire_restore`, which counts), whatever the
    lock's methods are at the time: the counting methods count in Python; the
    host's C methods of a sampled lock through `itertools.count` objects chained to
    them in C (`_fast`), each counting while its thread holds the lock.

    The counting methods tell every wait and time holds: all of them while the lock
    is EXACT, and a sampled lock's in its windows. Between windows a `with`
    statement's waits are still seen (timed in C, or sampled under a GIL: `_fast`);
    the holds and the waits of an `acquire` call are those of the windows, each
    window's standing for the acquisitions since the previous window too (and the
    last one's for those after it), in proportion (`finish`). Holds are timed for
    the first TIMED_ALL acquisitions through the counting methods and then for one
    in TIMED_EVERY, weighted to stand for the others: two clock reads per
    acquisition are most of what a lock taken per item would pay. An RLock's hold
    is timed from an acquisition to the next release."""

    __slots__ = ("tally", "counted", "state", "tick", "base", "host", "lock", "fast",
                 "since", "weight", "hold", "hold_max", "opened", "opened_tick",
                 "closed_tick", "closed", "window_base", "acquired_at_open",
                 "acquired_at_close", "window", "last_window", "windows", "entry_waits",
                 "waited_entries")

    def __init__(self):
        self.tally = 0       # entries and releases through the counting methods
        self.counted = 0     # acquisitions through the counting methods
        self.state = EXACT
        self.tick = self.base = 0    # the tick of the last hotness check, and `counted`
        self.host = self.lock = self.fast = None
        self.since = 0.0     # when the timed hold began; 0.0: none is being timed
        self.weight = 1
        self.hold = 0.0
        self.hold_max = 0.0
        # A sampled lock's windows: when the last opened (time and tick) and closed
        # (tick and time), `counted` when it opened, acquisitions() when it opened and
        # when it closed, the open window, the last one, and (window, gap) for those
        # whose waits stand for more than themselves.
        self.opened = 0.0
        self.opened_tick = self.closed_tick = self.window_base = 0
        self.closed = 0.0
        self.acquired_at_open = self.acquired_at_close = 0
        self.window = self.last_window = None
        self.windows = []
        # A sampled lock's entries that waited in C (see _fast), and how many were taken.
        self.entry_waits = None
        self.waited_entries = 0

    def acquisitions(self):
        if self.fast is None:
            return self.tally
        # (A count's repr is its next value: "count(12)"; the entries' began at 1.)
        entries, releases = (int(repr(counter)[6:-1]) for counter in self.fast[4:])
        return self.tally + entries - 1 + releases + self.waited_entries

    def attach(self, lock):
        """Count `lock`'s operations (from now on, until it is sampled)."""
        self.host = lock._host
        self.lock = weakref.ref(lock)
        self._use_counting()

    def _use(self, methods):
        lock = self.lock()
        if lock is not None:
            lock.acquire, lock.release, lock.__enter__, lock.__exit__ = methods

    def _use_counting(self):
        # (Bound afresh: the lock holds its methods, this holds the lock weakly, and
        # nothing makes a cycle for the collector.)
        self._use((self.acquire, self.release, self.enter, self.exit))

    def _use_fast(self):
        if self.fast is None:
            self.fast = _fast(self)
            _fast_locks.append(self)
        self._use(self.fast[:4])

    # The counting methods, as the lock's own: they raise as the C methods they stand for,
    # with no gilless frame, and call nothing else unless a wait or a timed hold needs it.

    def acquire(self, blocking=True, timeout=-1):
        try:
            host = self.host
            if (blocking is True and timeout == -1) or (
                    blocking and type(timeout) in (int, float) and timeout >= 0):
                acquired = host.acquire(False) or _wait_for(self, host, timeout, True)
            else:
                # Not a wait, or arguments the host refuses: as the plain acquire.
                acquired = host.acquire(blocking, timeout)
        except BaseException as error:
            hide_internal_frames(error)
            raise
        if acquired:
            self.acquired()
        return acquired

    def enter(self):
        # (`with lock:`, the commonest acquire: no arguments to check, and `acquired`
        # inline, with TIMED_ALL and TIMED_EVERY.)
        try:
            if not self.host.acquire(False):
                _wait_for(self, self.host, -1)
        except BaseException as error:
            hide_internal_frames(error)
            raise
        self.tally += 1
        count = self.counted = self.counted + 1
        if count < 64 or not count & 15:
            self.begin_hold(count)
            if _LEARN_ENTRIES:
                # Where the program enters the lock, for the sampler (see entry_place).
                _entry_places[_entry_key(sys._getframe(1))] = self
        return True

    # A release ends the timed hold (and counts) while it still holds the lock; the
    # host's release checks the lock is held, and raises as the plain one when not.

    def exit(self, *exc_info):
        if self.since:
            self.end_hold()
        try:
            self.host.release()
        except BaseException as error:
            hide_internal_frames(error)
            raise

    def release(self):
        if self.since:
            self.end_hold()
        self.tally += 1
        try:
            self.host.release()
        except BaseException as error:
            self.tally -= 1
            hide_internal_frames(error)
            raise

    def acquired(self):
        count = self.counted = self.counted + 1
        if count < TIMED_ALL or not count % TIMED_EVERY:
            self.begin_hold(count)

    def begin_hold(self, count):
        # (Also where a lock is found to be hot: every TIMED_EVERY acquisitions.)
        if self.tick != _tick:
            self.tick = _tick
            self.base = count
        elif self.state == EXACT and count - self.base > _hot_per_tick:
            # Hot: sampled from now on, the rest of this tick its first window.
            self._open(_tick)
            _sampled.append(self)
        elif self.state == OPEN and count - self.window_base >= WINDOW:
            self._close(_tick)
        self.weight = 1 if count < TIMED_ALL else TIMED_EVERY
        self.since = perf_counter()

    def end_hold(self):
        since = self.since
        self.since = 0.0
        # (A hold begun before the lock's counting methods last came back was ended by
        # the host's release, unseen.)
        if since > self.opened:
            held = perf_counter() - since
            self.hold += held * self.weight
            if held > self.hold_max:
                self.hold_max = held
            window = self.window
            if window is not None:
                window.hold += held * self.weight

    def in_window(self, record, seconds):
        """A wait of `seconds`, which the consumer keeps in `record`, if a window is open."""
        window = self.window
        if window is not None:
            window.waits.append((record, seconds))

    # -- sampling: a window is opened by the sampler's thread (or by the counting
    # methods, the first), and closed by whichever comes first of the counting methods
    # (WINDOW acquisitions) and the sampler (the next tick) --

    def _open(self, tick):
        window = Window()
        window.opened = self.opened = perf_counter()
        acquired = self.acquired_at_open = self.acquisitions()
        if self.closed:
            window.gap = self.closed, window.opened, acquired - self.acquired_at_close
        self.opened_tick = tick
        self.window_base = self.counted
        self.window = window
        self.state = OPEN
        self._use_counting()

    def _close(self, tick):
        """Close the window (FAST), or count in full again (EXACT) if the lock was
        rarely taken in it."""
        window = self.window
        try:
            # (Only one of two closers gets it: a list's pop is atomic, free-threaded too.)
            window.unclosed.pop()
        except (AttributeError, IndexError):
            return
        self.window = None
        window.closed = self.closed = perf_counter()
        acquired = self.acquired_at_close = self.acquisitions()
        window.acquisitions = acquired - self.acquired_at_open
        if window.gap is not None:
            self._stands_for(window, window.gap)
        self.last_window = window
        # (By rate: a window that ends at WINDOW acquisitions is short.)
        lived = window.closed - window.opened
        if (self.counted - self.window_base) * COOL_SHARE < HOT_RATE * lived:
            self.state = EXACT
            _sampled.remove(self)
        else:
            self.state = FAST
            self.closed_tick = tick
            self._use_fast()

    def _stands_for(self, window, gap):
        """`window` stands for `gap` (see Window), the time before it or after the last
        one: its holds by acquisitions, its waits kept for the consumer."""
        if window.acquisitions:
            self.hold += window.hold * gap[2] / window.acquisitions
            if window.waits:
                self.windows.append((window, gap))


class Window:
    """What a sampled lock's counting methods saw while its window was open (from
    `opened` to `closed`): its acquisitions, the hold time they timed, and the waits
    as the consumer keeps them, (record, seconds). `gap` is (when it began, when it
    ended, its acquisitions) of the time before it in which the lock's methods were
    the host's, which the window stands for; None before the first. (The last window
    also stands for the time after it, to the end: a gap whose end is None.)"""

    __slots__ = ("opened", "closed", "acquisitions", "hold", "waits", "gap", "unclosed")

    def __init__(self):
        self.unclosed = [True]
        self.opened = self.closed = 0.0
        self.acquisitions = 0
        self.hold = 0.0
        self.waits = []
        self.gap = None


def _fast(counts):
    """A sampled lock's `acquire`, `release`, `__enter__` and `__exit__` between windows,
    and what counts its entries and releases (see LockCounts): the host's C methods,
    chained in C to what counts while the calling thread holds the lock (an entry
    after its acquire, a release before it).

    How an entry that finds the lock taken is seen depends on the host. On a
    free-threaded one it also waits in C, and leaves in `counts.entry_waits` when it
    began to wait, where (the code and instruction of the frame entering), which
    thread, and when it got the lock, for the consumer to take at the sampler's next
    tick (`drain`). Under a GIL, where the sampler reads every thread's stack at every
    tick, the entry is the host's acquire and its wait is sampled (`entry_place`):
    under a GIL this workload hands the GIL over with every extra step a contended
    entry takes (a queue's put and get ran 1.5 times as long with the steps above,
    1.3 with these)."""
    host = counts.host
    entries, releases = itertools.count(1), itertools.count()
    # (Each call passes its arguments as a tuple made once: the lock's methods take a
    # tuple, and one made per call is an object for the collector to count, which on a
    # free-threaded host stops every thread.)
    calls = itertools.repeat(())
    release = functools.partial(next, map(operator.is_not, releases, itertools.starmap(
        host.release, calls)))
    if not hostbuild.FREE_THREADED_BUILD:
        enter = functools.partial(next, map(operator.is_not, itertools.starmap(
            host.acquire, calls), entries))
        return host.acquire, release, enter, host.__exit__, entries, releases
    counts.entry_waits = collections.deque()
    now = itertools.starmap(perf_counter, calls)
    began = map(slice, now, map(_CODE_AND_INSTRUCTION, itertools.starmap(sys._getframe, calls)),
                itertools.starmap(host_thread.get_ident, calls))
    waited = map(counts.entry_waits.append,
                 map(slice, began, itertools.starmap(host.acquire, calls), now))
    wait = functools.partial(next, map(operator.is_, waited, itertools.repeat(None)))
    # An entry tries without blocking; True: counted, False: waited for.
    then = {True: entries.__next__, False: wait}.__getitem__
    enter = functools.partial(next, map(operator.truth, map(operator.call, map(
        then, itertools.starmap(host.acquire, itertools.repeat((False,)))))))
    return host.acquire, release, enter, host.__exit__, entries, releases


def entry_place(frame):
    """The sampled lock whose `with` statement `frame` (a thread's innermost) is at, if
    the counting methods saw it there; None if none."""
    counts = _entry_places.get(_entry_key(frame))
    return counts if counts is not None and counts.state == FAST else None


def _entry_key(frame):
    # The statement, and where its function was called from (a Condition's __enter__
    # enters the lock of every condition, a queue's of every queue).
    back = frame.f_back
    return (frame.f_code, frame.f_lasti, back.f_code if back is not None else None,
            back.f_lasti if back is not None else None)


_CODE_AND_INSTRUCTION = operator.attrgetter("f_code", "f_lasti")


def drain():
    """The entries of sampled locks that waited in C since the last call (see _fast):
    [(counts, [slice(slice(began, (code, instruction), thread ident), True, got)])]."""
    drained = []
    for counts in list(_fast_locks):
        waits = counts.entry_waits
        if waits:
            items = [waits.popleft() for _ in range(len(waits))]
            counts.waited_entries += len(items)
            drained.append((counts, items))
    return drained


def _wait_for(counts, host, timeout, sampled=False):
    """Acquire `host` (which was taken), telling the consumer the wait; a wait that
    only the counting methods see (`sampled`, an `acquire`'s) is also the window's."""
    token = _consumer.waiting(counts, "lock")
    try:
        return host.acquire(True, timeout)
    finally:
        kept = _consumer.waited(token)
        if sampled and kept is not None:
            counts.in_window(*kept)


def tick(number, interval):
    """The sampler's tick `number` (every `interval` seconds). A lock found hot has its
    first window at once; then one opens at every SAMPLE_EVERY-th tick, each until
    WINDOW acquisitions or the next tick. A lock switched while a thread is inside
    one of its methods is counted one way or the other (a hold begun by a counting
    acquire and ended by the host's release is not timed)."""
    global _tick, _hot_per_tick
    _tick = number
    _hot_per_tick = max(HOT_RATE * interval, TIMED_ALL)
    for counts in list(_sampled):
        state = counts.state
        if state == OPEN and number > counts.opened_tick:
            counts._close(number)
        elif state == FAST and number >= counts.closed_tick + SAMPLE_EVERY:
            counts._open(number)


def finish():
    """At exit, (window, gap) for each sampled lock's window whose waits stand for more
    than themselves, and each gap it stands for (the last window's also for the time
    after it). For each, the consumer counts a wait in the window again in proportion
    to the time of the gap in which the waiting thread lived, but no more than in
    proportion to the acquisitions (a lock seldom taken in the gap was seldom waited
    for)."""
    windows = []
    for counts in list(_sampled):
        if counts.state == OPEN:
            counts._close(_tick)
        last = counts.last_window
        if counts.state == FAST and last is not None:
            counts._stands_for(last, (counts.closed, None,
                                      counts.acquisitions() - counts.acquired_at_close))
        windows += counts.windows
    _sampled.clear()
    return windows


def _counted(lock):
    """Tell the consumer about a new lock, which counts it or not; its waits are told
    either way."""
    if _created is not None:
        _created(lock)
    (lock._sync or LockCounts()).attach(lock)
    return lock


class TimedLock(LockType):
    """`_thread.lock`, profiled: its operations are slots (see LockCounts)."""

    __slots__ = ("acquire", "release", "__enter__", "__exit__")
    __module__ = "_thread"

    def __init__(self):
        # (3.13's `threading.Lock` is this type itself, not `allocate_lock`.)
        LockAround.__init__(self)
        _counted(self)

    @classmethod
    def _wrapping(cls, host_lock, counted=False):
        """Around `host_lock`: a lock of the program's (`counted`), or of the runtime's,
        whose waits are told but which is not counted (a thread's sentinel)."""
        lock = super()._wrapping(host_lock)
        if counted:
            return _counted(lock)
        LockCounts().attach(lock)
        return lock

    @hides_frames
    def acquire_lock(self, blocking=True, timeout=-1):
        return self.acquire(blocking, timeout)

    @hides_frames
    def release_lock(self):
        self.release()


TimedLock.__name__ = TimedLock.__qualname__ = "lock"


class TimedRLock(RLock):
    """`_thread.RLock`, profiled (see TimedLock)."""

    __slots__ = ("acquire", "release", "__enter__", "__exit__")
    __module__ = "_thread"

    def __init__(self, *args, **kwargs):
        RLockAround.__init__(self, *args, **kwargs)
        _counted(self)

    @hides_frames
    def _release_save(self):
        # (Condition.wait gives the lock up entirely before it waits, and counts the
        # acquisition that gets it back.)
        counts = self._sync
        if counts is not None and counts.since and self._host._is_owned():
            counts.end_hold()
        return self._host._release_save()

    @hides_frames
    def _acquire_restore(self, state):
        token = _consumer.waiting(self, "lock")
        try:
            self._host._acquire_restore(state)
        finally:
            _consumer.waited(token)
        counts = self._sync
        if counts is not None:
            counts.tally += 1
            counts.acquired()


TimedRLock.__name__ = TimedRLock.__qualname__ = "RLock"
_timing = False
_lock_type, _rlock_type = LockType, RLock


def observe_waits():
    """Report creations and timed waits (for a consumer with `created` and `waiting`)."""
    global _timing, _lock_type, _rlock_type
    _timing = True
    _lock_type, _rlock_type = TimedLock, TimedRLock
    _ThreadHandle.join = _timed_join


@hides_frames
def _timed_join(self, timeout=None):
    host = self._host
    if host.is_done():
        host.join(timeout)
    else:
        token = _consumer.waiting(self, "join")
        try:
            host.join(timeout)
        finally:
            _consumer.waited(token)
    if host.is_done():
        _consumer.acquired(self)


def patch_time_module(module):
    """A guest copy of `time` whose `sleep` is a timed wait (for a consumer with `waiting`)."""
    host_sleep = module.sleep

    def sleep(seconds, /):
        token = _consumer.waiting(None, "sleep")
        try:
            host_sleep(seconds)
        finally:
            _consumer.waited(token)

    module.sleep = BuiltinFunction(sleep, "time", shown=host_sleep)


def patch_thread_module(module):
    """Replace the synchronising parts of a guest copy of `_thread`."""
    _rlock.__name__ = "RLock"
    replace_primitives(module, (allocate_lock, start_new_thread, _set_sentinel,
                                start_joinable_thread, _make_thread_handle, _shutdown),
                       _lock_type, BuiltinFunction(_rlock, "_thread"), _ThreadHandle)


class _Carried:
    """An item in a guest SimpleQueue, with the clock of the put that carried it (the
    consumer's, in `_sync`): a get acquires the put of the item it returns, not every
    put so far."""

    __slots__ = ("item", "_sync")

    def __init__(self, item):
        self.item = item
        self._sync = None


def patch_queue_module(module):
    host_simple_queue = module.SimpleQueue

    class SimpleQueue(host_simple_queue):
        __slots__ = ("_sync",)
        __module__ = "_queue"

        def __init__(self):
            self._sync = None

        def put(self, item, block=True, timeout=None):
            carried = _Carried(item)
            _consumer.releasing(carried)
            host_simple_queue.put(self, carried, block, timeout)

        def put_nowait(self, item):
            SimpleQueue.put(self, item)

        @hides_frames
        def get(self, block=True, timeout=None):
            carried = host_simple_queue.get(self, block, timeout)
            _consumer.acquired(carried)
            return carried.item

        def get_nowait(self):
            return SimpleQueue.get(self, False)

    if _timing:
        empty = module.Empty

        @hides_frames
        def get(self, block=True, timeout=None):
            if not block or timeout is not None:
                # (A get with a timeout is not timed: the host checks the timeout first.)
                carried = host_simple_queue.get(self, block, timeout)
            else:
                try:
                    carried = host_simple_queue.get(self, False)
                except empty:
                    token = _consumer.waiting(self, "queue")
                    try:
                        carried = host_simple_queue.get(self, block, timeout)
                    finally:
                        _consumer.waited(token)
            _consumer.acquired(carried)
            return carried.item

        SimpleQueue.get = get
    # Named as the host's (repr, pickling by reference), not as a local class.
    SimpleQueue.__qualname__ = "SimpleQueue"
    module.SimpleQueue = SimpleQueue


_guest_import = None


def import_hook(guest_import):
    """`import_module` as the `import` statement's entry point, over `guest_import`."""
    global _guest_import
    _guest_import = guest_import
    return import_module


def import_module(name, globals=None, locals=None, fromlist=(), level=0):
    """The import, then the publication of the module: a module found in the module
    table is read without a lock, so its body's writes reach the importing thread
    only through this edge."""
    # (Inline rather than hides_frames: every import statement comes here.)
    try:
        module = _guest_import(name, globals, locals, fromlist, level)
        names = [getattr(module, "__name__", None)]
        if not level:
            names.append(name)
        if fromlist and names[0] is not None:
            names += [f"{names[0]}.{item}" for item in fromlist if type(item) is str]
        _consumer.imported(names)
        return module
    except BaseException as error:
        try:
            hide_internal_frames(error)
        except RecursionError:
            # (At the recursion limit, with no room for a call: gilless's entries at the
            # top unlinked in place, as hides_frames' wrapper does.)
            tb = error.__traceback__
            while tb is not None and tb.tb_frame.f_builtins is HOST_BUILTINS:
                tb = tb.tb_next
            error.__traceback__ = tb
        raise


# Named as importlib's, as guest_import is, so that `warnings` skips it.
import_module.__code__ = import_module.__code__.replace(
    co_filename="<frozen importlib._bootstrap>")
import_module.__name__ = import_module.__qualname__ = "__import__"
# To the guest it is `builtins.__import__`, as guest_import is (pickling by reference).
import_module.__module__ = "builtins"
import_module.__doc__ = host_builtins.__import__.__doc__
report_import_calls(import_module)
# This module's frames are gilless's own whatever their file name says.
globals()[INTERNAL_MARKER] = True
