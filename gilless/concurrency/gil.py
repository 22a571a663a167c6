"""The GIL mode: one global lock for guest code, for comparison with the default.

A thread runs guest code only while it holds the GIL. It gives the GIL up in
two ways, as CPython's does. Around a call that may block (lock acquires,
`time.sleep`, joins, the blocking I/O of the guest's built-in modules, see
`blocking` and `guestthread`) it releases the GIL and takes it back after
(`call_released`). And at a switch point, which the lowering pass
(`gilless.compiler.switchpoints`) puts at every function entry and loop iteration: a thread
that has waited a whole switch interval for the GIL sets the
`__gilless_drop__` flag, and the holder, at its next switch point, calls
`switch`, which drops the GIL and waits until another thread has taken it
(CPython's forced switching), so a CPU-bound thread cannot starve others.

The flag is an entry of the guest's builtins dict rather than a call: a
built-in global load and a jump cost a few nanoseconds per iteration, a
call ten times that. The GIL itself is a host RLock only for its
`_is_owned()`: a KeyboardInterrupt raised by a signal handler between two
calls of this module can then never leave a thread unsure whether it holds
the GIL. The lock's own state (the lock, the hand-off, the interval) is
module-level here, one per process as the guest world is; the guest
builtins that hold the flag are read from the installed world
(`gilless.base.state`). `gilmode` installs all this in a `Space`; the
default mode imports nothing of it and pays nothing.

What is not covered: guest code run by a host thread that never took the
GIL (none exists: all guest threads start through `guestthread`), signal
handlers and `__del__` methods that the host happens to run while a thread
waits for the GIL, and blocking calls of host C code outside the patched
set (file object reads, for instance), which hold the GIL as a C extension
that does not release it would in CPython.
"""

import _thread as host_thread
import operator
import sys as host_sys
from sys import _getframe

from gilless.base.hoststack import call_above, call_at_bottom
from gilless.base.state import world
from gilless.compiler.switchpoints import DROP_FLAG, SWITCH_FUNCTION
from gilless.module import syshostview
from gilless.module.systrace import guest_frame_from
from gilless.base.frames import INSERTED_CALLS, hide_internal_frames, hides_frames

DEFAULT_SWITCH_INTERVAL = 0.005

_gil_lock = host_thread.RLock()
# Seconds a waiter lets the holder run before it asks it to drop the GIL, as the guest
# set it, and as a lock wait can take it (the host bounds a timeout).
_switch_interval = DEFAULT_SWITCH_INTERVAL
_switch_wait = DEFAULT_SWITCH_INTERVAL
# A lock the holder that dropped the GIL at a switch point waits on, released by
# the next thread that takes the GIL.
_handoff = None
# Set at exit (finalize): the main thread keeps the GIL for good.
_finalizing = False


def holds_gil():
    return _gil_lock._is_owned()


def take():
    """Block until the calling thread, which must not hold the GIL, holds it."""
    global _handoff
    pending = None
    if not _gil_lock.acquire(False):
        while True:
            try:
                if _gil_lock.acquire(True, -1 if _finalizing else _switch_wait):
                    break
                world.builtins[DROP_FLAG] = True
            except BaseException as error:
                # A signal handler raised (Ctrl-C): take the GIL first, raise after.
                if pending is None:
                    pending = error
                if _gil_lock._is_owned():
                    break
        world.builtins[DROP_FLAG] = False
    handoff = _handoff
    if handoff is not None:
        _handoff = None
        handoff.release()
    if pending is not None:
        raise pending


def release():
    """Give the GIL up if the calling thread holds it; say whether it did."""
    if _gil_lock._is_owned():
        _gil_lock.release()
        return True
    return False


def call_released(function, *args, **kwargs):
    """Call `function` without the GIL (it may block), then take the GIL back.

    It runs above the guest frame that called the wait, as the C function it stands for
    would: what reads a waiting thread's stack from C (faulthandler's dumps, a sampling
    profiler) finds the guest's frames on top, not these, and a signal's handler runs
    above the guest frame."""
    if _finalizing or not _gil_lock._is_owned():
        return function(*args, **kwargs)
    caller = guest_frame_from(_getframe(1))
    try:
        _gil_lock.release()
        return call_above(caller, function, *args, **kwargs)
    finally:
        if not _gil_lock._is_owned():
            take()


def switch():
    """The slow path of a switch point: another thread asked for the GIL."""
    global _handoff
    world.builtins[DROP_FLAG] = False
    if _finalizing or not _gil_lock._is_owned():
        return
    handoff = host_thread.allocate_lock()
    handoff.acquire()
    _handoff = handoff
    try:
        _gil_lock.release()
        # Forced switching: let the waiter in before competing for the GIL again.
        # The timeout covers a request whose waiter got the GIL another way.
        handoff.acquire(True, _switch_wait)
    finally:
        if not _gil_lock._is_owned():
            take()


# Ctrl-C while switching surfaces at the guest's line, as from CPython's eval loop.
# CPython's switches are no calls: no profiler or monitoring tool is told of one.
switch = hides_frames(switch, reported=False)


def run_thread(function, args, kwargs):
    """The body of every guest thread in the GIL mode."""
    take()
    try:
        # The thread's stack begins with the guest's function, as CPython's does.
        call_at_bottom(function, *args, **kwargs)
    except SystemExit:
        pass
    except BaseException as error:
        # Reported here, as the host would name this function rather than the guest's.
        report_thread_exception(function, error)
    finally:
        release()


def prepare_thread_reports():
    """Find the type of the unraisable hook's argument, before any guest thread starts."""
    syshostview.find_unraisable_args_type()


def report_thread_exception(function, error):
    """What CPython's thread_run does with an exception that ends a `_thread` thread."""
    hide_internal_frames(error)
    if host_sys.version_info >= (3, 13):
        message, culprit = f"Exception ignored in thread started by {function!r}", None
    else:
        message, culprit = "Exception ignored in thread started by", function
    syshostview.write_unraisable(error, message, culprit)


# The guest's sys.getswitchinterval and sys.setswitchinterval, with the checks and
# messages of CPython's C functions.

def getswitchinterval(*arguments, **keywords):
    if keywords:
        raise TypeError("sys.getswitchinterval() takes no keyword arguments")
    if arguments:
        raise TypeError(f"sys.getswitchinterval() takes no arguments ({len(arguments)} given)")
    return _switch_interval


def setswitchinterval(*arguments, **keywords):
    global _switch_interval, _switch_wait
    if keywords:
        raise TypeError("sys.setswitchinterval() takes no keyword arguments")
    if len(arguments) != 1:
        raise TypeError("sys.setswitchinterval() takes exactly one argument "
                        f"({len(arguments)} given)")
    interval = _as_double(arguments[0])
    if interval <= 0.0:
        raise ValueError("switch interval must be strictly positive")
    _switch_interval = 1e-6 * _whole_microseconds(interval)
    _switch_wait = min(_switch_interval, host_thread.TIMEOUT_MAX)


def _as_double(value):
    """`value` as the C double of a CPython argument (PyFloat_AsDouble): a float, what
    `__float__` or `__index__` gives, never a string."""
    if isinstance(value, float):
        return float(value)
    kind = type(value)
    if hasattr(kind, "__float__"):
        return float(value)
    if hasattr(kind, "__index__"):
        return float(operator.index(value))
    raise TypeError(f"must be real number, not {kind.__name__}")


def _whole_microseconds(interval):
    """CPython keeps the interval as `(unsigned long)(1e6 * interval)` microseconds; the
    conversions C leaves undefined give what they give on x86-64."""
    microseconds = 1e6 * interval
    if microseconds != microseconds:
        return 1 << 63
    if microseconds >= 2.0 ** 64:
        return 0
    return int(microseconds)


def add_switch_point_names(guest_builtins):
    """Put what the switch points of compiled code look up into the guest's builtins:
    the function named as what it is there, since the guest finds it by iterating its
    builtins, and pickles it by reference as it would CPython's (`test_pickle` does)."""
    guest_builtins[DROP_FLAG] = False
    INSERTED_CALLS.add(switch.__code__)
    switch.__module__ = "builtins"
    switch.__name__ = switch.__qualname__ = SWITCH_FUNCTION
    guest_builtins[SWITCH_FUNCTION] = switch


def finalize():
    """The end of guest threads, as CPython's finalization freezes daemon threads:
    the main thread keeps the GIL for good and never switches again, so a daemon
    thread that waits for the GIL, or comes back from a blocking call, stays
    blocked, and nothing of it runs beside the interpreter's exit."""
    global _finalizing
    if not _gil_lock._is_owned():
        take()
    _finalizing = True
