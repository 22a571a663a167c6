"""The thread profiler's consumer: the synchronisation events, recorded exactly and cheaply.

What is rare is counted exactly here: every wait (a lock found taken, a
condition, a queue, a join, a sleep) with its duration and the stack that
waited, every thread's start and end, every lock's acquisitions and hold
time. An acquire that finds its lock free costs a few attribute updates in the
lock's own method (and two `perf_counter` reads for the first 64 acquisitions
of a lock, then for one in 16); nothing else on the guest's path calls in here.

Threads never share what they write: a lock's counters are updated by the
thread that holds the lock (under the lock itself), and everything about a
wait goes into the waiting thread's own record, so the counters need no lock
of their own on a free-threaded host. The report merges them at exit.
"""

import _thread as host_thread
import operator
import os
import sys
import threading as host_threading
import time
from time import perf_counter

from gilless.base import hostbuild
from gilless.base.frames import GILLESS_DIR, INTERNAL_MARKER
from gilless.instrument.sync import LockCounts

_STDLIB = os.path.join(hostbuild.STDLIB, "")
_THREADING = os.path.join(_STDLIB, "threading.py")
# Frames of the program (and its third-party packages), of the standard library, of gilless.
PROGRAM, LIBRARY, GILLESS = 0, 1, 2
STACK_DEPTH = 6
# Waits kept for the timeline, per thread (the statistics count all of them).
MAX_INTERVALS = 100_000

# What a wait is, by the kind sync.py says it is, unless a standard library function it
# happens in tells more:
_KIND_CATEGORIES = {"lock": "lock", "join": "join", "queue": "queue get", "sleep": "sleep"}
# (file name, function) -> category; the outermost such function names it.
_WAIT_CATEGORIES = {
    ("queue.py", "get"): "queue get", ("queue.py", "put"): "queue put",
    ("queue.py", "join"): "queue join",
    ("threading.py", "join"): "join", ("threading.py", "_wait_for_tstate_lock"): "join",
    ("threading.py", "_shutdown"): "join", ("threading.py", "start"): "thread start",
    ("_base.py", "result"): "future", ("_base.py", "wait"): "future",
    ("_base.py", "as_completed"): "future", ("thread.py", "_worker"): "idle worker",
    ("threading.py", "acquire"): "semaphore",
}
_THREAD_INITS = frozenset({"Thread.__init__", "_MainThread.__init__", "_DummyThread.__init__"})
# `wait` in threading.py: a Condition's, an Event's or a Barrier's, told by its `self`.
_THREADING_WAIT = ("threading.py", "wait")
_WAITABLE = {"Condition": "condition", "Event": "event", "Barrier": "barrier"}


def _command_file():
    """The file of the `gilless` command that started this process, gilless's own code
    outside its package (bin/gilless marks its globals); None under `python -m gilless`."""
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, INTERNAL_MARKER, False):
        return getattr(main, "__file__", None)
    return None


# File name -> PROGRAM, LIBRARY or GILLESS (see frame_kind).
_kinds = {}
_COMMAND_FILE = _command_file()
if _COMMAND_FILE is not None:
    _kinds[_COMMAND_FILE] = GILLESS


def frame_kind(filename):
    """PROGRAM, LIBRARY or GILLESS for a code object's file name."""
    if filename in _kinds:
        return _kinds[filename]
    if filename.startswith(GILLESS_DIR):
        kind = GILLESS
    elif filename.startswith("<frozen") or (filename.startswith(_STDLIB)
                                            and "site-packages" not in filename):
        kind = LIBRARY
    else:
        kind = PROGRAM
    _kinds[filename] = kind
    return kind


def program_site(frame):
    """(file, line) of the innermost program frame from `frame` out, else the innermost
    frame that is not gilless's; None if there is none."""
    fallback = None
    while frame is not None:
        code = frame.f_code
        kind = frame_kind(code.co_filename)
        if kind == PROGRAM:
            return code.co_filename, frame.f_lineno
        if kind == LIBRARY and fallback is None:
            fallback = code.co_filename, frame.f_lineno
        frame = frame.f_back
    return fallback


class LockStats(LockCounts):
    """One guest lock (or RLock): where it was made, and what its holders did with it
    (counted by the lock's methods, see gilless.instrument.sync.LockCounts)."""

    __slots__ = ("site", "what")

    def __init__(self, site, what):
        LockCounts.__init__(self)
        self.site = site
        self.what = what


class Intervals:
    """Waits for the timeline, up to MAX_INTERVALS, with one writer: (start, end, what)
    of each, flat in a list of floats and numbers. A tuple per wait would be an
    object for the collector to count, and on a free-threaded host each collection
    stops every thread: the queue workload's waits made 9 collections of a 0.85 s
    run against 2 (30 ms against 3)."""

    __slots__ = ("flat", "keys", "numbers")

    def __init__(self):
        self.flat = []
        self.keys = []       # (category, site) by number
        self.numbers = {}    # (category, site) -> number

    def add(self, start, end, category, site):
        if len(self.flat) < 3 * MAX_INTERVALS:
            key = category, site
            # (`in` then `[]`: see Sampler._tick.)
            number = self.numbers[key] if key in self.numbers else self._number(key)
            self.flat.extend((start, end, number))

    def _number(self, key):
        number = self.numbers[key] = len(self.keys)
        self.keys.append(key)
        return number

    def __iter__(self):
        flat, keys = self.flat[:], self.keys[:]
        for index in range(0, len(flat) - 2, 3):
            category, site = keys[flat[index + 2]]
            yield flat[index], flat[index + 1], category, site


class WaitStats:
    """One thread's waits on one thing: count, seconds, longest, and by stack."""

    __slots__ = ("count", "seconds", "longest", "stacks")

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.longest = 0.0
        self.stacks = {}

    def add(self, stack_totals, count, seconds, longest=0.0):
        """`count` waits of `seconds` in all (the longest `longest`), at the stack whose
        [count, seconds] is `stack_totals`."""
        self.count += count
        self.seconds += seconds
        if longest > self.longest:
            self.longest = longest
        stack_totals[0] += count
        stack_totals[1] += seconds


def _stats_for(waits, key, stack):
    """The WaitStats in `waits` (a thread's) under `key`, and the totals of its `stack`."""
    # (`in` then `[]`, not `get`: the sampler's thread reads dicts other threads made, where
    # a free-threaded host's `get` with an equal, not identical, key is slow.)
    stats = waits[key] if key in waits else waits.setdefault(key, WaitStats())
    return stats, stats.stacks.setdefault(stack, [0, 0.0])


class ThreadRecord:
    """One guest thread. Written by the thread itself (its waits), the sampler (its
    samples) and whoever starts and ends it; read by the report after it ended."""

    __slots__ = ("index", "name", "created_at", "target", "arguments", "ident", "native_id",
                 "start", "end", "cpu", "waiting", "waits", "by_place", "sampler_waits",
                 "sampled_wait", "intervals", "sampler_intervals", "waits_in_order", "samples",
                 "states", "lines")

    def __init__(self, index, name, created_at, target=None, arguments=None):
        self.index = index
        self.name = name
        self.created_at = created_at
        self.target = target
        self.arguments = arguments
        self.ident = None
        self.native_id = None
        self.start = None
        self.end = None
        self.cpu = None
        # The category of the wait the thread is in, or None (read by the sampler).
        self.waiting = None
        # (category, site) -> WaitStats
        self.waits = {}
        # Where a wait happened (see _place) -> (its WaitStats, its stack's
        # [count, seconds], category, site, the code objects the place names by id).
        self.by_place = {}
        # (category, site) -> WaitStats of its waits that the sampler's thread recorded (a
        # sampled lock's entries that waited: see Recorder.entry_waits, entry_sampled).
        self.sampler_waits = {}
        # What the last sample saw it wait for at a sampled lock's entry, or None.
        self.sampled_wait = None
        # Its waits, for the timeline: those the thread recorded, and the sampler's.
        self.intervals = Intervals()
        self.sampler_intervals = Intervals()
        self.waits_in_order = None
        # The sampler's: (time, weight, state, line) of each sample; counts by state and line.
        self.samples = []
        self.states = {}
        self.lines = {}

    def all_waits(self):
        """(category, site) and WaitStats of its waits, its own and the sampler's."""
        return list(self.waits.items()) + list(self.sampler_waits.items())

    def all_intervals(self):
        """(start, end, category, site) of its waits, in order (taken once, at the end:
        the analysis reads them several times)."""
        if self.waits_in_order is None:
            # (By time only: a site may be None.)
            self.waits_in_order = sorted(list(self.intervals) + list(self.sampler_intervals),
                                         key=operator.itemgetter(0, 1))
        return self.waits_in_order

    def running(self):
        self.ident = host_thread.get_ident()
        self.native_id = host_thread.get_native_id()
        self.start = perf_counter()


def _cpu_time_of(ident):
    """The CPU time of the running thread `ident`, from its clock; None where the host
    cannot read another thread's."""
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(ident))
    except (AttributeError, OSError, OverflowError):
        return None


class Recorder:
    """The consumer (see gilless.instrument.Consumer) of the thread profiler."""

    def __init__(self):
        self.threads = []
        # Every lock's LockStats (list.append is atomic on every host).
        self.locks = []
        self._threads_lock = host_thread.allocate_lock()
        self._local = host_threading.local()
        self._by_ident = {}     # (the sampler's, see _record_of)
        self.start_time = None
        self.end_time = None

    # -- the run --

    def start(self):
        """In the main thread, before guest code runs."""
        self.start_time = perf_counter()
        main = self._new_record("MainThread", None)
        main.running()
        main.start = self.start_time
        # What the main thread ran before (gilless's start-up) is not the program's.
        main.cpu = -time.thread_time()
        self._local.record = main

    def stop(self):
        """In the main thread, at exit."""
        self.end_time = perf_counter()
        main = self.threads[0]
        main.end = self.end_time
        main.cpu += time.thread_time()
        for record in self.live():
            # A daemon thread still running: its CPU time up to the exit, from its clock.
            record.cpu = _cpu_time_of(record.ident)

    def _new_record(self, name, created_at, target=None, arguments=None):
        with self._threads_lock:
            record = ThreadRecord(len(self.threads), name, created_at, target, arguments)
            self.threads.append(record)
        return record

    def current(self):
        local = self._local
        try:
            return local.record
        except AttributeError:
            # A thread gilless did not start (none today): recorded from its first wait.
            record = self._new_record(f"Thread-{host_thread.get_ident()}", None)
            record.running()
            local.record = record
            return record

    def live(self):
        """The threads started and not yet ended (a snapshot)."""
        return [record for record in self.threads[:] if record.end is None
                and record.ident is not None]

    # -- threads --

    def fork(self, thread):
        name = getattr(thread, "_name", None)
        target = getattr(thread, "_target", None)
        arguments = None
        if target is not None:
            arguments = (getattr(thread, "_args", ()), getattr(thread, "_kwargs", {}))
        return self._new_record(name if type(name) is str else f"Thread-{len(self.threads)}",
                                program_site(sys._getframe(1)), target, arguments)

    def begin(self, record):
        record.running()
        self._local.record = record

    def end(self, record):
        record.cpu = time.thread_time()
        record.end = perf_counter()

    def sentinel(self, lock):
        pass

    def sentinel_for(self, token, sync):
        pass

    def joined_all(self):
        pass

    def module_executed(self, name):
        pass

    def imported(self, names):
        pass

    def access(self, target, space, key, flags):
        pass

    def acquired(self, sync):
        # (A lock's acquisitions and holds are counted by the lock itself.)
        pass

    def releasing(self, sync):
        pass

    # -- locks --

    def created(self, lock):
        """Name the lock by the program line that made it and by what made it (a
        `threading.Condition`, a `queue.Queue`, or the lock itself)."""
        frame = sys._getframe(1)
        maker = None
        # The outermost library frame inside an import, if one runs between the lock's
        # making and the program: a module's body made the lock as it was imported.
        library = None
        imported = False
        while frame is not None:
            code = frame.f_code
            kind = frame_kind(code.co_filename)
            if kind == PROGRAM:
                break
            if kind == LIBRARY:
                if code.co_name == "wait" and code.co_filename == _THREADING:
                    # A condition's waiter: its waits are the condition's.
                    return
                if code.co_filename.startswith("<frozen importlib"):
                    if maker is None and code.co_name == "__init__":
                        # The import system's module locks: the runtime's.
                        return
                    imported = True
                elif not imported:
                    library = frame
                    if code.co_name == "__init__":
                        maker = frame
            frame = frame.f_back
        if maker is not None and maker.f_code.co_qualname in _THREAD_INITS:
            # A Thread's own start-up event: the runtime's, not the program's (a thread's
            # start shows as a wait of its own).
            return
        if maker is not None:
            owner = maker.f_locals.get("self")
            cls = type(owner)
            what = f"{cls.__module__}.{cls.__qualname__}"
        else:
            what = f"threading.{type(lock).__name__.replace('lock', 'Lock')}"
        # A lock a library's module made as it was imported is named by the library's
        # line, not by the program's import.
        site = ((library.f_code.co_filename, library.f_lineno) if imported and library
                else program_site(sys._getframe(1)))
        stats = lock._sync = LockStats(site, what)
        self.locks.append(stats)

    # -- waits --

    def entry_waits(self, drained):
        """Record the waits of sampled locks' entries that waited in C (from
        gilless.instrument.sync.drain, in the sampler's thread or at exit): each in its
        thread's `sampler_waits`, with the frame that entered as its stack."""
        for counts, items in drained:
            if type(counts) is not LockStats:
                continue
            key = "lock", counts.site
            for item in items:
                began, got = item.start, item.step
                record = self._record_of(began.step, began.start)
                if record is None:
                    continue
                stats, totals = _stats_for(record.sampler_waits, key,
                                           _entry_stack(*began.stop))
                seconds = got - began.start
                stats.add(totals, 1, seconds, seconds)
                record.sampler_intervals.add(began.start, got, *key)

    def entry_sampled(self, record, counts, frame, now, seconds):
        """A sample of `record`'s thread (from the sampler, under a GIL): blocked at the
        `with` statement of the sampled lock `counts` (see
        gilless.instrument.sync.entry_place), or not (None). The samples of one wait
        make one wait of their seconds, in its `sampler_waits`."""
        if type(counts) is not LockStats:
            record.sampled_wait = None
            return
        category, site, stack = self._classify(frame, counts, "lock")
        key = category, site
        stats, totals = _stats_for(record.sampler_waits, key, stack)
        stats.add(totals, record.sampled_wait != key, seconds, seconds)
        record.sampled_wait = key
        record.sampler_intervals.add(now - seconds, now, category, site)

    def _record_of(self, ident, when):
        """The record of the thread `ident` alive at `when` (an ident may be reused)."""
        record = self._by_ident.get(ident)
        if record is None or record.start > when:
            self._by_ident = {record.ident: record for record in self.threads[:]
                              if record.ident is not None}
            record = self._by_ident.get(ident)
        return record

    def add_waits(self, windows):
        """Count again the waits of sampled locks' windows for the gaps they stand for
        (see gilless.instrument.sync.finish): a thread's, in proportion to the time it
        lived in the gap and in the window, or to the lock's acquisitions in each if
        that is less. Counts become estimates, rounded when read."""
        for window, (gap_start, gap_end, gap_acquisitions) in windows:
            if gap_end is None:
                gap_end = self.end_time
            by_acquisitions = gap_acquisitions / window.acquisitions
            for (record, stats, stack_totals), seconds in window.waits:
                lived = _lived(record, window.opened, window.closed, self.end_time)
                if lived > 0:
                    share = min(_lived(record, gap_start, gap_end, self.end_time) / lived,
                                by_acquisitions)
                    stats.add(stack_totals, share, seconds * share)

    def waiting(self, sync, kind):
        record = self.current()
        record.waiting = kind
        return record, sync, kind, perf_counter()

    def waited(self, token):
        end = perf_counter()
        record, sync, kind, start = token
        record.waiting = None
        frame = sys._getframe(1)
        place = _place(frame, sync, kind)
        by_place = record.by_place
        if place in by_place:
            stats, stack_totals, category, site, _ = by_place[place]
        else:
            category, site, stack = self._classify(frame, sync, kind)
            stats, stack_totals = _stats_for(record.waits, (category, site), stack)
            by_place[place] = stats, stack_totals, category, site, _codes(frame)
        seconds = end - start
        stats.add(stack_totals, 1, seconds, seconds)
        record.intervals.add(start, end, category, site)
        # (What the wait was added to, for a sampled lock's window to count again: see
        # gilless.instrument.sync.finish.)
        return (record, stats, stack_totals), seconds

    def _classify(self, frame, sync, kind):
        """(category, site, stack) of a wait: what is waited for, named by the program
        line that made it (a lock's, a condition's, a queue's creation site) or else
        by the line that waits, and the waiting stack without gilless's frames."""
        stats = _lock_stats(sync)
        lock = stats if type(stats) is LockStats else None
        category = _KIND_CATEGORIES[kind]
        stack = []
        in_library = True
        in_wait = False
        while frame is not None and len(stack) < STACK_DEPTH:
            code = frame.f_code
            frame_type = frame_kind(code.co_filename)
            if frame_type != GILLESS:
                stack.append((code.co_filename, frame.f_lineno, code.co_name))
                if frame_type == PROGRAM:
                    in_library = False
                elif in_library:
                    where = os.path.basename(code.co_filename), code.co_name
                    if where == _THREADING_WAIT and code.co_filename == _THREADING:
                        in_wait = True
                        owner = frame.f_locals.get("self")
                        name = type(owner).__name__
                        if name in _WAITABLE:
                            category = _WAITABLE[name]
                        if name == "Condition":
                            # The condition's lock names it (and the queue or event
                            # that made the condition).
                            owner_stats = getattr(owner._lock, "_sync", None)
                            if type(owner_stats) is LockStats:
                                lock = owner_stats
                    elif where in _WAIT_CATEGORIES and (in_wait or where[0] != "queue.py"):
                        # (A queue's own lock, taken by its put or get, is a lock.)
                        category = _WAIT_CATEGORIES[where]
            frame = frame.f_back
        stack = tuple(stack)
        if lock is not None:
            site = lock.site
        else:
            site = next(((file, line) for file, line, _ in stack
                         if frame_kind(file) == PROGRAM), stack[0][:2] if stack else None)
        return category, site, stack


_entry_stacks = {}


def _entry_stack(code, instruction):
    """The one-frame stack of an entry that waited in C."""
    key = code, instruction
    if key not in _entry_stacks:
        line = next((line for start, end, line in code.co_lines()
                     if start <= instruction < end), code.co_firstlineno)
        _entry_stacks[key] = ((code.co_filename, line, code.co_name),)
    return _entry_stacks[key]


def _lived(record, start, end, run_end):
    """The seconds of [start, end] in which the thread of `record` lived."""
    born = record.start if record.start is not None else start
    died = record.end if record.end is not None else run_end
    return max(0.0, min(end, died) - max(start, born))


def _lock_stats(sync):
    """The LockStats of what a wait waits for (given as the stats or their lock)."""
    return sync if type(sync) is LockStats else getattr(sync, "_sync", None)


# A wait's classification walks its stack for file names, lines and the library
# functions it is in, about 6 us; a thread waits at few places, so each thread keeps
# what a place was classified as, and a wait only finds its place (about 1 us).

def _place(frame, sync, kind):
    """What a wait's classification depends on, cheap to take: the kind, the site of
    the lock waited for, and each frame of the stack (the ones that _classify looks at)
    by code object and instruction, with what a `wait` of threading.py waits on."""
    stats = _lock_stats(sync)
    place = [kind, stats.site if type(stats) is LockStats else None]
    shown = 0
    while frame is not None and shown < STACK_DEPTH:
        code = frame.f_code
        place.append(id(code))
        place.append(frame.f_lasti)
        filename = code.co_filename
        if not filename.startswith(GILLESS_DIR):
            shown += 1
            if filename == _THREADING and code.co_name == "wait":
                owner = frame.f_locals.get("self")
                owner_stats = getattr(getattr(owner, "_lock", None), "_sync", None)
                place.append(type(owner).__name__)
                place.append(owner_stats.site if type(owner_stats) is LockStats else None)
        frame = frame.f_back
    return tuple(place)


def _codes(frame):
    """The code objects of `frame` and those under it, which a place names by their
    `id`: kept with it, so that no other code object takes their address."""
    codes = []
    while frame is not None:
        codes.append(frame.f_code)
        frame = frame.f_back
    return codes
