"""The scheduler: guest threads take turns, switching only at the points it sees.

Each guest thread is a host thread, parked on a pipe of its own (its baton)
whenever it is not the one running. At a *point* (an access event of
the program's own code, a synchronisation operation the program makes, the
start and the end of a thread) the running thread asks the strategy which
runnable thread goes on, and hands its baton over if that is another one.
Blocking is modelled, not done: a thread that would wait for a lock, a
queue, a thread's end or a sleep is marked blocked on that object and hands
over; the release, put or end that it waits for marks it runnable again.
Time is virtual: it moves on only when every thread waits, to the earliest
deadline (and a little at each clock read, so that busy waits end), so
`time.sleep` and timeouts cost nothing and decide nothing by chance. A
thread in a call that waits outside gilless (reading a pipe, `input()`)
leaves the scheduler for the call's duration, so that a run never hangs on
something the scheduler cannot see.

Which thread runs is decided by one thread at a time, so the state here is
plain module globals; `_mutex` orders it with threads coming back from
outside.

The run is recorded as *segments*: which thread ran, how many points, and
where it stopped (file, line, function and operation). A replay follows the
segments and checks each stop's function and operation, not its line, so a
recorded schedule survives edits that do not change what the threads do.

Points are the program's own, not the standard library's or an installed
package's (pytest's, for one): an access in their files is no point, and
neither is a synchronisation operation made by `threading`'s thread
start-up and shutdown code or the import system. So a schedule is the same
on every host version, whose `threading` differ in how they start, join
and end threads, and the points are where the program's own bugs can be.
"""

import _thread as host_thread
import os
import select
import sys as host_sys

from gilless.base import hostbuild, state
from gilless.base.frames import GILLESS_DIR, INTERNAL_MARKER
from gilless.compiler.lowering import INSTALLED
from gilless.instrument.events import WRITE, describe
from gilless.instrument.stacks import capture_stack

# OUTSIDE: in a call that waits outside the scheduler; RETURNED: back from it, let in
# again when no other thread can run (so that the interleaving stays the strategy's).
RUNNABLE, BLOCKED, FINISHED, OUTSIDE, RETURNED = (
    "runnable", "blocked", "finished", "outside", "returned")

_STDLIB = os.path.join(hostbuild.STDLIB, "")
_THREADING = os.path.join(_STDLIB, "threading.py")
# threading's own start-up, join and shutdown code: its synchronisation is the
# machinery of a thread's life, which differs between host versions.
_LIFECYCLE = frozenset({"start", "_bootstrap", "_bootstrap_inner", "_set_tstate_lock",
                        "_wait_for_tstate_lock", "join", "_stop", "_delete", "_shutdown",
                        "is_alive", "_after_fork", "__init__", "_set_sentinel"})
# How often a parked main thread looks for a signal to handle (Ctrl-C).
SIGNAL_CHECK = 0.05
# How far virtual time moves at each read of a clock.
CLOCK_TICK = 1e-4


class DeadlockError(Exception):
    pass


class Thread:
    """A guest thread as the scheduler knows it."""

    __slots__ = ("index", "name", "baton", "state", "waiting", "deadline", "timed_out",
                 "daemon", "ident", "guest", "priority", "created", "__weakref__")

    def __init__(self, index, guest=None, daemon=False):
        self.index = index
        self.name = f"T{index}"
        self.baton = _Baton()
        self.state = RUNNABLE
        # What it waits for while blocked: a lock, a queue, a Thread (its end), SLEEP,
        # or ALL_THREADS (the end of every non-daemon thread).
        self.waiting = None
        self.deadline = None
        self.timed_out = False
        self.daemon = daemon
        self.ident = None
        self.guest = guest
        self.priority = 0.0
        # The guest stack that started it (gilless.instrument.stacks), for reports.
        self.created = None

    def describe(self):
        guest = self.guest
        if guest is None and self.index == 0:
            threading = state.world.modules.get("threading")
            guest = getattr(threading, "_main_thread", None)
        name = _guest_name(guest)
        return f"thread {self.name}" + (f" ({name})" if name else "")


def _guest_name(guest):
    try:
        name = guest.__dict__.get("_name") if guest is not None else None
    except Exception:
        name = None
    return name if isinstance(name, str) else None


class _Unknown:
    """A thread the scheduler did not start (no guest thread should run unseen)."""

    created = None

    def describe(self):
        return "a thread gilless did not start"


_UNKNOWN = _Unknown()
SLEEP = "sleep"
ALL_THREADS = "all threads"

# -- the state of the run ----------------------------------------------------------

active = False
_current = None
_threads = []
_strategy = None
_now = 0.0
_mutex = host_thread.allocate_lock()
# Nobody runs: every thread waits, some for calls outside the scheduler.
_idle = False
# The segments so far: [thread name, points, stop] with stop a dict, or None.
_segments = []
_segment_points = 0
_steps = 0
_on_deadlock = None
# file name -> whether it is the program's own (not gilless's or the standard library's).
_own_files = {}


def start(strategy, on_deadlock):
    """Take control: the calling thread is T0 and runs."""
    global active, _current, _strategy, _on_deadlock, _idle
    main = Thread(0)
    main.ident = host_thread.get_ident()
    _threads[:] = [main]
    _current = main
    _idle = False
    _segments.clear()
    _reset_counts()
    _strategy = strategy
    _on_deadlock = on_deadlock
    strategy.thread_created(main)
    active = True


def _reset_counts():
    global _steps, _segment_points, _now
    _steps = _segment_points = 0
    _now = 0.0


def stop():
    """Give up control: every parked thread goes on as a plain host thread."""
    global active
    with _mutex:
        if not active:
            return
        active = False
        for thread in _threads:
            if thread.state != FINISHED and thread is not _current:
                _release_baton(thread)


class _Baton:
    """What a parked thread waits on: a pipe, given a byte when the thread is to run.

    A pipe rather than a lock: on a free-threaded host a lock's waiter spins and yields
    before it sleeps, and a hand-over between two threads took 2.7 ms with the cores
    busy, against 10 us through a pipe (4 us against 12 on a default host)."""

    __slots__ = ("_read", "_write")

    def __init__(self):
        self._read, self._write = os.pipe()

    def give(self):
        os.write(self._write, b"\0")

    def take(self):
        os.read(self._read, 1)

    def take_or_signal(self):
        """Take, handling signals meanwhile (the main thread's: Ctrl-C). A free-threaded
        host may leave the main thread's wait uninterrupted when a signal lands on
        another thread, so the wait is cut into short ones."""
        while not select.select([self._read], [], [], SIGNAL_CHECK)[0]:
            pass
        os.read(self._read, 1)

    def close(self):
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass


def _release_baton(thread):
    try:
        thread.baton.give()
    except OSError:
        pass   # (a thread that has ended)


def now():
    return _now


def tick():
    """A clock read: time moves on a little."""
    global _now
    _now += CLOCK_TICK
    return _now


def current():
    """The running thread, if the caller is it (else None: a thread the scheduler does
    not control, or no control at all)."""
    thread = _current
    if active and thread is not None and thread.ident == host_thread.get_ident():
        return thread
    return None


# -- which points count ---------------------------------------------------------------

def is_own_file(filename):
    own = _own_files.get(filename)
    if own is None:
        own = _own_files[filename] = not (
            filename.startswith(GILLESS_DIR) or filename.startswith("<frozen ")
            or filename.startswith(_STDLIB) or any(part in filename for part in INSTALLED))
    return own


def access_site(frame):
    """The program's frame that made an access (reported from gilless's event code), or
    None when the access is the standard library's."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(GILLESS_DIR) and INTERNAL_MARKER not in frame.f_globals:
            return frame if is_own_file(filename) else None
        frame = frame.f_back
    return None


def sync_site(frame):
    """The program's frame a synchronisation operation is made for: the innermost frame
    of the program's own code, if no frame of a thread's life (threading's start-up,
    join and shutdown) or of the import system comes before it."""
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if filename == _THREADING:
            if code.co_name in _LIFECYCLE:
                return None
        elif filename.startswith("<frozen importlib"):
            return None
        elif is_own_file(filename) and INTERNAL_MARKER not in frame.f_globals:
            return frame
        frame = frame.f_back
    return None


def describe_site(frame, operation):
    if frame is None:
        return {"file": None, "line": None, "function": None, "operation": operation}
    code = frame.f_code
    return {"file": code.co_filename, "line": frame.f_lineno, "function": code.co_qualname,
            "operation": operation}


# -- the access events (the consumer's one hot function) --------------------------------

def access(target, space, key, flags):
    if active:
        frame = access_site(host_sys._getframe(1))
        if frame is not None:
            point(frame, lambda: describe_access(target, space, key, flags))


def describe_access(target, space, key, flags):
    """The operation, in words that name no address and run no guest code."""
    return f"{'write' if flags & WRITE else 'read'} {describe(target, space, key, _plain_repr)}"


_PLAIN = (str, int, float, bool, bytes, type(None))


def _plain_repr(value):
    if type(value) in _PLAIN or (type(value) is tuple and all(type(v) in _PLAIN for v in value)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"<{type(value).__name__} object>"


# -- points and decisions ---------------------------------------------------------------

def point(frame, describe):
    """The running thread is at a point: `describe()` tells the operation, if asked."""
    global _steps, _segment_points
    me = current()
    if me is None:
        return
    _steps += 1
    _segment_points += 1
    with _mutex:
        chosen = _strategy.choose(me, _runnable(), _steps, frame, describe)
        if chosen is me:
            return
        _end_segment(me, describe_site(frame, describe()))
        _hand_over(chosen)
    _park(me)


def _runnable():
    return [thread for thread in _threads if thread.state == RUNNABLE]


def _end_segment(me, stop):
    global _segment_points
    _segments.append([me.name, _segment_points, stop])
    _segment_points = 0


def _hand_over(chosen):
    global _current, _idle
    _current = chosen
    if chosen is None:
        _idle = True
    else:
        _idle = False
        _release_baton(chosen)


def _park(me):
    """Wait until chosen again (or until control is given up)."""
    try:
        if me.index:
            me.baton.take()
        else:
            me.baton.take_or_signal()
    except BaseException:
        # Ctrl-C in the main thread: nothing is controlled any more.
        stop()
        raise


def block(waiting, deadline=None):
    """The running thread waits for `waiting` (released, put to, ended) or until the
    virtual `deadline`. True if it was woken by `waiting`, False at the deadline."""
    me = current()
    if me is None:
        return True
    with _mutex:
        me.state = BLOCKED
        me.waiting = waiting
        me.deadline = deadline
        me.timed_out = False
        _decide(me, {"operation": f"wait for {_kind_of(waiting)}",
                     "detail": _describe_waiting(waiting)})
    _park(me)
    return not me.timed_out


def wake(waiting):
    """Whatever waits for `waiting` may go on (it tries again)."""
    if not active:
        return
    for thread in _threads:
        if thread.state == BLOCKED and thread.waiting is waiting:
            thread.state = RUNNABLE
            thread.waiting = None
            thread.deadline = None


def _decide(me, stop):
    """Choose who runs after `me`, which cannot go on (under `_mutex`)."""
    global _now
    runnable = _runnable()
    if not runnable:
        returned = [thread for thread in _threads if thread.state == RETURNED]
        if returned:
            returned[0].state = RUNNABLE
            runnable = returned[:1]
    if not runnable:
        timed = [thread for thread in _threads
                 if thread.state == BLOCKED and thread.deadline is not None]
        if timed:
            _now = max(_now, min(thread.deadline for thread in timed))
            for thread in timed:
                if thread.deadline <= _now:
                    thread.state = RUNNABLE
                    thread.timed_out = True
                    thread.waiting = None
                    thread.deadline = None
            runnable = _runnable()
        elif any(thread.state == OUTSIDE for thread in _threads):
            _end_segment(me, stop)
            _hand_over(None)
            return
        else:
            _deadlock(me)
    chosen = _strategy.choose_forced(me, runnable)
    _end_segment(me, {**describe_site_of(me), **stop, "forced": True})
    _hand_over(chosen)


def describe_site_of(thread):
    """Where `thread` is in the program's own code: its innermost frame there."""
    frame = thread_frames(thread, host_sys._getframe())
    while frame is not None and not (is_own_file(frame.f_code.co_filename)
                                     and INTERNAL_MARKER not in frame.f_globals):
        frame = frame.f_back
    if frame is None:
        return {"file": None, "line": None, "function": None}
    return {key: value for key, value in describe_site(frame, "").items()
            if key != "operation"}


def thread_created(guest, daemon):
    thread = Thread(len(_threads), guest, daemon)
    thread.created = capture_stack(host_sys._getframe(2))
    _threads.append(thread)
    _strategy.thread_created(thread)
    return thread


def calling_thread():
    """The calling thread's Thread, controlled or not (what lock-order reports name)."""
    ident = host_thread.get_ident()
    for thread in _threads:
        if thread.ident == ident:
            return thread
    return _UNKNOWN


def thread_begins(thread):
    """First thing in a new thread: wait for its first turn."""
    thread.ident = host_thread.get_ident()
    if active:
        _park(thread)


def thread_ends(thread):
    """Last thing in a thread: whoever waits for its end may go on; another runs."""
    if not active or _current is not thread:
        with _mutex:   # (stop() gives batons under it: none to a closed pipe)
            thread.state = FINISHED
            thread.baton.close()
        return
    with _mutex:
        thread.state = FINISHED
        wake(thread)
        if all_ended():
            wake(ALL_THREADS)
        _decide(thread, {"operation": "end of thread"})
    # (Nobody gives an ended thread its turn again.)
    thread.baton.close()


def all_ended():
    """Whether every non-daemon thread but the main one has ended."""
    return all(thread.state == FINISHED or thread.daemon for thread in _threads[1:])


def leave():
    """The running thread enters a call that may wait outside the scheduler."""
    me = current()
    if me is None:
        return None
    with _mutex:
        me.state = OUTSIDE
        _decide(me, {"operation": "call outside"})
    return me


def come_back(me):
    """Back from outside: run now if nobody runs, else wait for a turn."""
    global _current, _idle
    if me is None:
        return
    with _mutex:
        if not _idle:
            me.state = RETURNED
            parked = True
        else:
            me.state = RUNNABLE
            _idle = False
            _current = me
            parked = False
    if parked:
        _park(me)


# -- deadlocks ---------------------------------------------------------------------------

def _describe_waiting(waiting):
    if waiting is SLEEP:
        return "the end of a sleep"
    if waiting is ALL_THREADS:
        return "the end of every non-daemon thread"
    if isinstance(waiting, Thread):
        return f"the end of {waiting.describe()}"
    describe = getattr(waiting, "_describe_for_scheduler", None)
    return describe() if describe is not None else type(waiting).__name__


def _kind_of(waiting):
    """What is waited for, in words that stay the same when lines move."""
    if waiting is SLEEP or waiting is ALL_THREADS:
        return _describe_waiting(waiting)
    if isinstance(waiting, Thread):
        return f"the end of {waiting.name}"
    return getattr(waiting, "_kind", type(waiting).__name__)


def waiting_text(thread):
    text = f"waits for {_describe_waiting(thread.waiting)}"
    owner = getattr(thread.waiting, "_sync", None)
    if isinstance(owner, Thread):
        text += f", held by {owner.describe()}" if owner is not thread else \
            ", which only a notify releases"
    return text


def _deadlock(me):
    """Every thread waits and nothing can wake any: report, and end the run."""
    _on_deadlock(me, [thread for thread in _threads if thread.state == BLOCKED])
    raise DeadlockError


def thread_frames(thread, own_frame):
    """The frame a report shows for `thread`, innermost."""
    if thread.ident == host_thread.get_ident():
        return own_frame
    return host_sys._current_frames().get(thread.ident)


def segments():
    """The run so far, the last segment included."""
    result = [list(segment) for segment in _segments]
    if _current is not None:
        result.append([_current.name, _segment_points, None])
    return result


def steps():
    return _steps


def thread_count():
    return len(_threads)
