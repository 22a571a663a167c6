"""The guest's synchronising primitives under the scheduler.

The guest copy of `_thread` gets locks whose waiting the scheduler models
(`scheduler.block`) instead of the host doing it, thread starts that make
each new thread wait for its turn, and joins that wait for a thread's end
as the scheduler knows it; `_queue.SimpleQueue.get` waits the same way; the
guest `time` sleeps and reads clocks in virtual time; and the calls that
wait for the world outside (a pipe, a socket, `input()`) leave the
scheduler while they wait. While the scheduler is not in control (before
the program starts, or after it gave up), each is the host's primitive.

A lock's `_sync` slot holds the thread that owns it, for the deadlock report.
"""

import _thread as host_thread
import functools
import sys as host_sys
import time as host_time

from gilless.base.frames import GILLESS_DIR, hides_frames
from gilless.base.hoststack import call_above, call_at_bottom
from gilless.concurrency import blocking
from gilless.instrument import sync as observed
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.threadmodule import (LockAround, RLockAround, ThreadHandleAround,
                                         check_start_arguments, replace_primitives)
from gilless.schedule import scheduler

class _Unchecked:
    """Lock-order checking off (gilless.lockorder's functions, doing nothing)."""

    def created(self, lock, frame=None):
        pass

    def acquired(self, lock, blocking=True, count=1):
        pass

    def releasing(self, lock, entirely=False):
        pass

    def not_acquired(self, lock):
        pass

    def signal(self, lock):
        pass

    def reinitialized(self, lock):
        pass


# Lock-order checking (gilless.lockorder, set by ScheduleMode), told of every lock
# operation as the race detector's wrappers tell it.
locks = _Unchecked()
# What reports an exception that ends a `_thread` thread (set by ScheduleMode).
report_thread_exception = None
# Called with (thread, error) when a thread's exception reaches threading.excepthook.
on_thread_exception = None


def _site(operation):
    """The point of a synchronisation operation made by the program's own code."""
    if not scheduler.active:
        return
    frame = scheduler.sync_site(host_sys._getframe(2))
    if frame is not None:
        scheduler.point(frame, lambda: operation)


def _creation_site():
    """Where the program made a lock: its own innermost frame, else the innermost one
    not gilless's (a lock `threading` makes for a condition or an event is shown at
    the program's line that made those)."""
    frame = host_sys._getframe(2)
    first = None
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(GILLESS_DIR):
            first = first or frame
            if scheduler.is_own_file(filename):
                break
        frame = frame.f_back
    frame = frame or first
    return None if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _check_timeout(host, blocking, timeout):
    """Arguments CPython refuses, refused by the host's own acquire."""
    if (not blocking and timeout != -1) or (timeout < 0 and timeout != -1):
        host.acquire(blocking, timeout)


@hides_frames
def _acquire(self, blocking=True, timeout=-1):
    if not scheduler.active:
        return self._host.acquire(blocking, timeout)
    _check_timeout(self._host, blocking, timeout)
    _site(f"acquire {self._kind}")
    deadline = None if timeout == -1 else scheduler.now() + timeout
    while True:
        if self._host.acquire(False):
            self._sync = scheduler.current()
            locks.acquired(self, blocking and timeout < 0)
            return True
        if not blocking or not scheduler.active:
            if scheduler.active:
                return False
            return self._host.acquire(blocking, -1 if deadline is None else
                                      max(0.0, deadline - scheduler.now()))
        if not scheduler.block(self, deadline):
            locks.not_acquired(self)
            return False


@hides_frames
def _release(self):
    if _held(self):
        locks.releasing(self)
    self._host.release()
    if not _held(self):
        self._sync = None
    if scheduler.active:
        scheduler.wake(self)
        _site(f"release {self._kind}")


def _held(lock):
    host = lock._host
    return host.locked() if hasattr(host, "locked") else host._is_owned()


def _at_fork_reinit(self):
    # (In a child process after fork: no thread holds it.)
    self._host._at_fork_reinit()
    self._sync = None
    locks.reinitialized(self)


def _describe(self):
    site = getattr(self, "_created", None)
    return f"{self._kind} created at {site}" if site else self._kind


class LockType(LockAround):
    """`_thread.lock`, its waits modelled by the scheduler."""

    __slots__ = ("_created",)
    __module__ = "_thread"
    _kind = "lock"

    def __init__(self):
        # (3.13's `threading.Lock` is this type itself, not `allocate_lock`.)
        LockAround.__init__(self)
        _made(self, observed._creator())

    acquire = acquire_lock = __enter__ = _acquire
    release = release_lock = _release
    _at_fork_reinit = _at_fork_reinit
    _describe_for_scheduler = _describe


LockType.__name__ = LockType.__qualname__ = "lock"


class RLock(RLockAround):
    """`_thread.RLock`, its waits modelled by the scheduler."""

    __slots__ = ("_created",)
    __module__ = "_thread"
    _kind = "RLock"

    def __init__(self, *args, **kwargs):
        RLockAround.__init__(self, *args, **kwargs)
        _made(self, observed._creator())

    acquire = __enter__ = _acquire
    release = _release
    _at_fork_reinit = _at_fork_reinit
    _describe_for_scheduler = _describe

    @hides_frames
    def _release_save(self):
        if self._host._is_owned():
            locks.releasing(self, entirely=True)
        state = self._host._release_save()
        self._sync = None
        scheduler.wake(self)
        return state

    @hides_frames
    def _acquire_restore(self, state):
        if scheduler.active:
            # Free once no other thread holds it (nobody else runs until this one waits).
            while not self._host.acquire(False):
                if not scheduler.active:
                    break   # (control given up: the host waits)
                scheduler.block(self)
            else:
                self._host.release()
        self._host._acquire_restore(state)
        self._sync = scheduler.current()
        # (The state is the host's (depth, owner).)
        locks.acquired(self, True, state[0])


def _made(lock, creator):
    """A lock made by guest code whose innermost frame is `creator`."""
    lock._created = _creation_site()
    if creator is not None and creator is not observed.BOOKKEEPING:
        locks.created(lock, creator)


def allocate_lock():
    creator = observed._creator()
    if creator is observed.BOOKKEEPING:
        return host_thread.allocate_lock()
    lock = LockType._wrapping(host_thread.allocate_lock())
    _made(lock, creator)
    return lock


def _rlock(*args, **kwargs):
    if observed._creator() is observed.BOOKKEEPING:
        return host_thread.RLock(*args, **kwargs)
    return RLock(*args, **kwargs)


class _Sentinel(LockType):
    """CPython up to 3.12: the lock the host releases when a thread ends, which `join`
    waits on. Under the scheduler, waiting on it is waiting for the thread's end."""

    __slots__ = ("_thread",)

    @hides_frames
    def acquire(self, blocking=True, timeout=-1):
        thread = self._thread
        if scheduler.active and thread is not None and thread is not scheduler.current():
            _check_timeout(self._host, blocking, timeout)
            deadline = None if timeout == -1 else scheduler.now() + timeout
            while thread.state != scheduler.FINISHED and scheduler.active:
                if not blocking or not scheduler.block(thread, deadline):
                    return False
            if thread.state == scheduler.FINISHED:
                # Ended as the scheduler knows it: the host is about to release it.
                return self._host.acquire()
        return self._host.acquire(blocking, timeout)

    acquire_lock = __enter__ = acquire


def _run(thread, function, args, kwargs):
    scheduler.thread_begins(thread)
    try:
        # The thread's stack begins with the guest's function, as CPython's does.
        call_at_bottom(function, *args, **kwargs)
    except SystemExit:
        pass
    except BaseException as error:
        if on_thread_exception is not None:
            on_thread_exception(thread, error)
        report_thread_exception(function, error)
    finally:
        scheduler.thread_ends(thread)


def _new_thread(function, daemon):
    guest = getattr(function, "__self__", None)
    thread = scheduler.thread_created(guest, daemon if guest is None else
                                      bool(getattr(guest, "_daemonic", daemon)))
    started = getattr(guest, "_started", None)
    if started is not None:
        guest._started = _Started(started, thread)
    hook = getattr(guest, "_invoke_excepthook", None)
    if hook is not None and on_thread_exception is not None:
        # An exception that ends a threading.Thread's run() reaches this hook; a
        # SystemExit ends the thread quietly, as threading's excepthook lets it.
        def invoke_excepthook(guest_thread, _hook=hook, _thread=thread):
            error = host_sys.exc_info()[1]
            if not isinstance(error, SystemExit):
                on_thread_exception(_thread, error)
            # (Called from threading's frame, as it calls it, where the hook looks.)
            return call_above(host_sys._getframe(1), _hook, guest_thread)
        guest._invoke_excepthook = invoke_excepthook
    return thread


class _Started:
    """A threading.Thread's `_started` event, whose setting (the new thread's last step
    before its `run()`) is a point: the thread's first access can come after others'."""

    __slots__ = ("_event", "_thread")

    def __init__(self, event, thread):
        self._event = event
        self._thread = thread

    def set(self):
        self._event.set()
        if scheduler.current() is self._thread:
            scheduler.point(None, lambda: "start of thread")

    def __getattr__(self, name):
        return getattr(self._event, name)


def start_new_thread(function, args, kwargs=None, /):
    kwargs = check_start_arguments(function, args, kwargs)
    if not scheduler.active:
        return host_thread.start_new_thread(function, args, kwargs)
    thread = _new_thread(function, daemon=True)
    ident = host_thread.start_new_thread(_run, (thread, function, args, kwargs))
    _site("start thread")
    return ident


def _set_sentinel():
    lock = _Sentinel._wrapping(host_thread._set_sentinel())
    lock._created = None
    lock._thread = scheduler.current()
    # The thread holds it all its life, and the host releases it.
    locks.signal(lock)
    return lock


class _ThreadHandle(ThreadHandleAround):
    """3.13's `_thread._ThreadHandle`: its join waits for the thread's end (`_sync`: the
    thread, as the scheduler knows it)."""

    __slots__ = ()

    def _ended(self):
        thread = self._sync
        return thread is None or thread.state == scheduler.FINISHED

    @hides_frames
    def join(self, timeout=None):
        if scheduler.active and self._sync is not None:
            if timeout is not None and timeout < 0:
                timeout = None
            deadline = None if timeout is None else scheduler.now() + timeout
            while not self._ended() and scheduler.active:
                if not scheduler.block(self._sync, deadline):
                    return
            if self._ended():
                return self._host.join()
        return self._host.join(timeout)

    def is_done(self):
        if scheduler.active and self._sync is not None:
            if not self._ended():
                return False
            self._host.join()
        return self._host.is_done()


def start_joinable_thread(function, handle=None, daemon=True):
    if not scheduler.active:
        host_handle = None if handle is None else handle._host
        host_handle = host_thread.start_joinable_thread(function, handle=host_handle,
                                                        daemon=daemon)
        return handle or _ThreadHandle._wrapping(host_handle)
    thread = _new_thread(function, daemon)
    if handle is None:
        handle = _ThreadHandle._wrapping(host_thread._ThreadHandle())
    handle._sync = thread
    host_thread.start_joinable_thread(functools.partial(_run, thread, function, (), {}),
                                      handle=handle._host, daemon=daemon)
    _site("start thread")
    return handle


def _make_thread_handle(ident):
    return _ThreadHandle._wrapping(host_thread._make_thread_handle(ident))


def _shutdown():
    while scheduler.active and not scheduler.all_ended():
        scheduler.block(scheduler.ALL_THREADS)
    host_thread._shutdown()


def patch_thread_module(module):
    _rlock.__name__ = "RLock"
    replace_primitives(module, (allocate_lock, start_new_thread, _set_sentinel,
                                start_joinable_thread, _make_thread_handle, _shutdown),
                       LockType, BuiltinFunction(_rlock, "_thread"), _ThreadHandle)


def patch_queue_module(module):
    host_simple_queue = module.SimpleQueue
    empty = module.Empty

    class SimpleQueue(host_simple_queue):
        __slots__ = ()
        __module__ = "_queue"

        def put(self, item, block=True, timeout=None):
            host_simple_queue.put(self, item, block, timeout)
            if scheduler.active:
                scheduler.wake(self)
                _site("put to SimpleQueue")

        def put_nowait(self, item):
            SimpleQueue.put(self, item)

        @hides_frames
        def get(self, block=True, timeout=None):
            if not scheduler.active:
                return host_simple_queue.get(self, block, timeout)
            _site("get from SimpleQueue")
            if block and timeout is not None and not timeout >= 0:
                return host_simple_queue.get(self, block, timeout)
            deadline = None if not block or timeout is None else scheduler.now() + timeout
            while scheduler.active:
                try:
                    return host_simple_queue.get(self, False)
                except empty:
                    if not block:
                        raise
                if not scheduler.block(self, deadline):
                    raise empty
            return host_simple_queue.get(self, block, timeout)

        def get_nowait(self):
            return SimpleQueue.get(self, False)

    # Named as the host's (repr, pickling by reference), not as a local class.
    SimpleQueue.__qualname__ = "SimpleQueue"
    module.SimpleQueue = SimpleQueue


# -- time ------------------------------------------------------------------------------

_EPOCH = {}


def _virtual(name, scale=1.0, integer=False):
    host = getattr(host_time, name)

    def clock():
        if not scheduler.active:
            return host()
        base = _EPOCH.get(name)
        if base is None:
            base = _EPOCH[name] = host()
        value = scheduler.tick() * scale
        return base + (int(value) if integer else value)
    clock.__name__ = clock.__qualname__ = name
    return BuiltinFunction(clock, "time")


@hides_frames
def sleep(seconds):
    if not scheduler.active:
        return host_time.sleep(seconds)
    if not isinstance(seconds, (int, float)):
        return host_time.sleep(seconds)   # the host's TypeError
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _site("sleep")
    if seconds and scheduler.active:
        scheduler.block(scheduler.SLEEP, scheduler.now() + seconds)


def patch_time_module(module):
    module.sleep = BuiltinFunction(sleep, "time")
    for name in ("time", "monotonic", "perf_counter"):
        setattr(module, name, _virtual(name))
        setattr(module, f"{name}_ns", _virtual(f"{name}_ns", 1e9, integer=True))


# -- calls that wait for the world outside ------------------------------------------------

# Module -> its functions that may wait for the world outside (not writes, which
# seldom wait, and would make every print leave the scheduler).
OUTSIDE_CALLS = {
    "builtins": ("input",),
    "select": ("select",),
    "posix": ("read", "readv", "waitpid", "wait", "wait3", "wait4", "waitid", "system"),
    "_signal": ("pause", "sigwait", "sigwaitinfo", "sigtimedwait"),
    "_socket": ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                "getnameinfo"),
    "fcntl": ("flock", "lockf"),
}
OUTSIDE_SPECIAL = {"select": blocking._patch_select, "_socket": blocking._patch_socket}


def _outside(function, *args, **kwargs):
    me = scheduler.leave()
    try:
        return function(*args, **kwargs)
    finally:
        scheduler.come_back(me)


def patch_outside_calls(name, module):
    blocking.patch_calls(name, module, _outside, OUTSIDE_CALLS, OUTSIDE_SPECIAL)
