"""The guest `_thread` of the GIL mode: locks, joins and new threads that respect the GIL.

The default mode gives the guest the host's `_thread` as it is. In the GIL
mode every operation of it that may block must release the GIL while it
waits, or the thread that would wake it could never run; and every new
thread must take the GIL before it runs guest code. So the guest gets thin
wrappers around the host's primitives: an acquire first tries without
blocking (no GIL traffic when the lock is free), and only a wait goes
through `gil.call_released`. Everything that never blocks (`get_ident`,
`_local`, `_excepthook`, `stack_size`...) stays the host's.
"""

import _thread as host_thread
import functools

from gilless.concurrency import gil
from gilless.module.threadmodule import (LockAround, RLockAround, ThreadHandleAround,
                                         check_start_arguments, give_lock_methods,
                                         replace_primitives)
from gilless.base.frames import hides_frames

TIMEOUT_MAX = host_thread.TIMEOUT_MAX


def _timeout_is_valid(blocking, timeout):
    """True when the host would accept (blocking, timeout) without an error."""
    if timeout == -1:
        return True
    return bool(blocking) and isinstance(timeout, (int, float)) and 0 <= timeout <= TIMEOUT_MAX


# Bad arguments, Ctrl-C, "release unlocked lock": the guest sees them come from a C
# method, as in CPython (give_lock_methods).

def _acquire(self, blocking=True, timeout=-1):
    """`acquire` of both lock types."""
    host_lock = self._host
    if not blocking or not _timeout_is_valid(blocking, timeout):
        # Never waits (or raises the host's error for bad arguments).
        return host_lock.acquire(blocking, timeout)
    if host_lock.acquire(False):
        return True
    return gil.call_released(host_lock.acquire, True, timeout)


def _release(self):
    self._host.release()


class LockType(LockAround):
    """A GIL-aware `_thread.lock` around a host lock."""

    __slots__ = ()
    __module__ = "_thread"


LockType.__name__ = LockType.__qualname__ = "lock"
give_lock_methods(LockType, _acquire, _release,
                  ("acquire_lock", "release_lock", "locked_lock"))


class RLock(RLockAround):
    """A GIL-aware `_thread.RLock` around a host RLock."""

    __slots__ = ()
    __module__ = "_thread"

    def _release_save(self):
        return self._host._release_save()

    @hides_frames
    def _acquire_restore(self, state):
        # Waits for the lock: Condition.wait calls it after waking.
        return gil.call_released(self._host._acquire_restore, state)


give_lock_methods(RLock, _acquire, _release)


def allocate_lock():
    return LockType()


def start_new_thread(function, args, kwargs=None, /):
    kwargs = check_start_arguments(function, args, kwargs)
    return host_thread.start_new_thread(gil.run_thread, (function, args, kwargs))


def _set_sentinel():
    return LockType._wrapping(host_thread._set_sentinel())


class _ThreadHandle(ThreadHandleAround):
    """A GIL-aware 3.13 `_thread._ThreadHandle`: join waits without the GIL."""

    __slots__ = ()

    @hides_frames
    def join(self, timeout=None):
        if self._host.is_done():
            return self._host.join(timeout)
        return gil.call_released(self._host.join, timeout)


def start_joinable_thread(function, handle=None, daemon=True):
    host_handle = None if handle is None else handle._host
    started = host_thread.start_joinable_thread(functools.partial(gil.run_thread, function, (), {}),
                                                handle=host_handle, daemon=daemon)
    return handle if handle is not None else _ThreadHandle._wrapping(started)


def _make_thread_handle(ident):
    return _ThreadHandle._wrapping(host_thread._make_thread_handle(ident))


def _shutdown():
    return gil.call_released(host_thread._shutdown)


def patch(module):
    """Replace the blocking and thread-starting parts of a guest copy of `_thread`
    (its module functions become BuiltinFunctions, which hide gilless frames)."""
    gil.prepare_thread_reports()
    replace_primitives(module, (allocate_lock, start_new_thread, _set_sentinel,
                                start_joinable_thread, _make_thread_handle, _shutdown),
                       LockType, RLock, _ThreadHandle)
