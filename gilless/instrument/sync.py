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
import functools
import sys
from time import perf_counter

from gilless.base.frames import GILLESS_DIR, INTERNAL_MARKER, hide_internal_frames, hides_frames
from gilless.compiler.lowering import UNWATCHED
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.threadmodule import (LockAround, RLockAround, ThreadHandleAround,
                                         check_start_arguments, replace_primitives)


class _Unobserved:
    """The consumer, and the lock consumer, while no tool observes (none installed, or
    the tool has finished): every event is dropped."""

    def _drop(self, *args, **kwargs):
        return None

    acquired = releasing = published = fork = begin = end = sentinel = sentinel_for = \
        joined_all = imported = created = not_acquired = signal = _drop


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
# the C methods they stand for, with no gilless frame (hides_frames).

@hides_frames
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


@hides_frames
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

    acquire = acquire_lock = __enter__ = _acquire
    release = release_lock = _release


LockType.__name__ = LockType.__qualname__ = "lock"


class RLock(RLockAround):
    """`_thread.RLock`, observed."""

    __slots__ = ()
    __module__ = "_thread"

    acquire = __enter__ = _acquire
    release = _release

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
    lock = LockType._wrapping(host_thread.allocate_lock())
    if creator is not None:
        _locks.created(lock, creator)
    if _created is not None:
        _created(lock)
    return lock


def _rlock(*args, **kwargs):
    creator = _creator()
    if creator is BOOKKEEPING:
        return host_thread.RLock(*args, **kwargs)
    lock = RLock(*args, **kwargs)
    if creator is not None:
        _locks.created(lock, creator)
    return lock


def _run(token, function, args, kwargs):
    """The body of every guest thread: the consumer sees its first and last steps."""
    _consumer.begin(token)
    try:
        function(*args, **kwargs)
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
    lock = LockType._wrapping(host_thread._set_sentinel())
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


# -- creations and timed waits ----------------------------------------------------------
#
# A consumer that profiles (the thread profiler) has three more functions:
#     created(lock)  a guest lock or RLock was just made (3.13's `threading.Lock` makes
#         one by calling the type, so this is called from the types' __init__); it may
#         put a HoldTimes in the lock's `_sync` slot, which the lock then keeps up;
#     waiting(sync, kind) -> token  a thread is about to block: kind "lock" (an acquire
#         that found the lock taken, or a condition's re-acquire), "join", "queue"
#         (SimpleQueue.get on an empty queue) or "sleep" (time.sleep; sync is None);
#     waited(token)  it stopped waiting (woken, timed out, or interrupted).
# `observe_waits` switches the types to the versions below, once per process and before
# guest code runs. Without it (the race detector) the calls above stay as they are, no
# slower. A timed acquire first tries without blocking, so one that finds the lock free
# costs no more than the plain one: only a wait is told twice.
#
# Every lock operation of a program goes through these, so they are one Python call
# each (their own try/except rather than hides_frames, and no call into the consumer
# unless a wait or a timed hold needs one): `with lock:` costs about twice the host's,
# where three calls cost it three and a half times, and a queue's put and get take four
# lock operations each.

TIMED_ALL = 64
TIMED_EVERY = 16    # a power of two (the timed methods test `count & 15`)


class HoldTimes:
    """A profiled lock's counters, kept by whoever holds the lock (so they need no
    lock of their own on a free-threaded host).

    Acquisitions are counted exactly. Hold times are timed for the first
    TIMED_ALL acquisitions and then for one in TIMED_EVERY, weighted to stand for
    the others: two clock reads per acquisition are most of what a lock taken per
    item would pay. An RLock's hold is timed from an acquisition to the next
    release."""

    __slots__ = ("acquisitions", "since", "weight", "hold", "hold_max")

    def __init__(self):
        self.acquisitions = 0
        self.since = 0.0     # when the timed hold began; 0.0: none is being timed
        self.weight = 1
        self.hold = 0.0
        self.hold_max = 0.0

    def acquired(self):
        count = self.acquisitions = self.acquisitions + 1
        if count < TIMED_ALL or not count % TIMED_EVERY:
            self.begin_hold(count)

    def begin_hold(self, count):
        if not self.since:
            self.weight = 1 if count < TIMED_ALL else TIMED_EVERY
            self.since = perf_counter()

    def end_hold(self):
        held = perf_counter() - self.since
        self.since = 0.0
        self.hold += held * self.weight
        if held > self.hold_max:
            self.hold_max = held


_timing = False


def observe_waits():
    """Report creations and timed waits (for a consumer with `created` and `waiting`)."""
    global _timing
    _timing = True
    LockType.__init__ = _noted_lock_init
    RLock.__init__ = _noted_rlock_init
    LockType.acquire = LockType.acquire_lock = RLock.acquire = _timed_acquire
    LockType.__enter__ = RLock.__enter__ = _timed_enter
    LockType.release = LockType.release_lock = RLock.release = _timed_release
    LockType.__exit__ = RLock.__exit__ = _timed_exit
    RLock._acquire_restore = _timed_acquire_restore
    _ThreadHandle.join = _timed_join


def _noted_lock_init(self):
    LockAround.__init__(self)
    if _created is not None:
        _created(self)


def _noted_rlock_init(self, *args, **kwargs):
    RLockAround.__init__(self, *args, **kwargs)
    if _created is not None:
        _created(self)


def _timed_acquire(self, blocking=True, timeout=-1):
    try:
        host = self._host
        if (blocking is True and timeout == -1) or (
                blocking and type(timeout) in (int, float) and timeout >= 0):
            acquired = host.acquire(False) or _wait_for(self, host, timeout)
        else:
            # Not a wait, or arguments the host refuses: as the plain acquire.
            acquired = host.acquire(blocking, timeout)
    except BaseException as error:
        hide_internal_frames(error)
        raise
    if acquired:
        stats = self._sync
        if stats is not None:
            stats.acquired()
    return acquired


def _timed_enter(self):
    # (`with lock:`, the commonest acquire: no arguments to check, and HoldTimes.acquired
    # inline, with TIMED_ALL and TIMED_EVERY.)
    try:
        if not self._host.acquire(False):
            _wait_for(self, self._host, -1)
    except BaseException as error:
        hide_internal_frames(error)
        raise
    stats = self._sync
    if stats is not None:
        count = stats.acquisitions = stats.acquisitions + 1
        if count < 64 or not count & 15:
            stats.begin_hold(count)
    return True


def _wait_for(self, host, timeout):
    token = _consumer.waiting(self, "lock")
    try:
        return host.acquire(True, timeout)
    finally:
        _consumer.waited(token)


# A hold ends after the release (it is timed, not ordered), so the host's release checks
# the lock is held, and raises as the plain one when not.

def _timed_exit(self, *exc_info):
    try:
        self._host.release()
    except BaseException as error:
        hide_internal_frames(error)
        raise
    stats = self._sync
    if stats is not None and stats.since:
        stats.end_hold()


def _timed_release(self):
    # (`with` is the common case: `release` pays the second call.)
    try:
        _timed_exit(self)
    except BaseException as error:
        hide_internal_frames(error)
        raise


@hides_frames
def _timed_acquire_restore(self, state):
    token = _consumer.waiting(self, "lock")
    try:
        self._host._acquire_restore(state)
    finally:
        _consumer.waited(token)
    stats = self._sync
    if stats is not None:
        stats.acquired()


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
                       LockType, BuiltinFunction(_rlock, "_thread"), _ThreadHandle)


def patch_queue_module(module):
    host_simple_queue = module.SimpleQueue

    class SimpleQueue(host_simple_queue):
        __slots__ = ("_sync",)
        __module__ = "_queue"

        def __init__(self):
            self._sync = None

        def put(self, item, block=True, timeout=None):
            _consumer.published(self)
            host_simple_queue.put(self, item, block, timeout)

        def put_nowait(self, item):
            _consumer.published(self)
            host_simple_queue.put(self, item)

        @hides_frames
        def get(self, block=True, timeout=None):
            item = host_simple_queue.get(self, block, timeout)
            _consumer.acquired(self)
            return item

        def get_nowait(self):
            return SimpleQueue.get(self, False)

    if _timing:
        empty = module.Empty

        @hides_frames
        def get(self, block=True, timeout=None):
            if not block or timeout is not None:
                # (A get with a timeout is not timed: the host checks the timeout first.)
                item = host_simple_queue.get(self, block, timeout)
            else:
                try:
                    item = host_simple_queue.get(self, False)
                except empty:
                    token = _consumer.waiting(self, "queue")
                    try:
                        item = host_simple_queue.get(self, block, timeout)
                    finally:
                        _consumer.waited(token)
            _consumer.acquired(self)
            return item

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
    except BaseException as error:
        hide_internal_frames(error)
        raise
    names = [getattr(module, "__name__", None)]
    if not level:
        names.append(name)
    if fromlist and names[0] is not None:
        names += [f"{names[0]}.{item}" for item in fromlist if type(item) is str]
    _consumer.imported(names)
    return module


# Named as importlib's, as guest_import is, so that `warnings` skips it.
import_module.__code__ = import_module.__code__.replace(
    co_filename="<frozen importlib._bootstrap>")
import_module.__name__ = import_module.__qualname__ = "__import__"
# This module's frames are gilless's own whatever their file name says.
globals()[INTERNAL_MARKER] = True
