"""The race detector: `gilless -X race` reports the data races a program executes.

A data race is two accesses to one location from different threads, at
least one a write, neither happening before the other (docs/races.md has
the policy). The program is compiled with the access-events pass
(`gilless.compiler.accesses`), its `_thread` reports synchronisation
(`gilless.instrument.sync`), and `detector` runs FastTrack over both. Each
race is reported once per pair of source lines, on stderr as it is found,
in the shape of Go's reports with CPython's traceback lines; at exit a
program that would have exited 0 exits 66 if any race was reported. Every
guest lock operation also goes to lock-order checking (`gilless.lockorder`),
whose reports of lock-order inversions count as races do.

Options, as Go's GORACE, in `-X race=NAME=VALUE,...` or the environment
variable GILLESS_RACE ("NAME=VALUE NAME=VALUE"):

    halt_on_error=1   exit (with exitcode) after the first report
    exitcode=N        the exit status when races (or inversions) were reported (default 66)
    log_path=PATH     write reports to PATH.PID instead of stderr
    history_size=N    frames kept for each remembered access: 8 << N (default 3: 64)
    detect_deadlocks=0  no lock-order checking (as ThreadSanitizer's option)
    report=FILE       also `-X race_report=FILE`: write every report at exit as
                      SARIF 2.1.0 if FILE ends in .sarif, else as JSON
    suppressions=FILE reports not to make, as ThreadSanitizer's: lines `race:PATTERN`
                      and `deadlock:PATTERN` (lock-order inversions), each matched
                      against the function names and file names of a report's
                      stacks (`*` any text, `^` and `$` its ends); `#` comments
"""

import functools
import os
import re
import sys as host_sys
import threading as host_threading

from gilless.base import hostbuild
from gilless.module import syshostview

# Races the standard library has on purpose: (file under the standard library, function)
# of either access's innermost frame or its caller. `logging.Logger.isEnabledFor` reads
# its level cache without the lock that guards the cache's writes, a benign race under
# CPython's atomic dict reads; `functools.singledispatch` fills its dispatch cache (a
# WeakKeyDictionary of its own) from whichever thread calls first with a new class;
# `asyncio.all_tasks` copies the WeakSet of every loop's tasks while loops in other
# threads add to it, and tries again if the copy fails (as its comment says);
# `concurrent.futures.thread`'s exit hook reads its WeakKeyDictionary of workers, from
# which the weak reference's callback of a worker that ended unjoined (an executor shut
# down without waiting) took the worker out in that thread.
_STDLIB = hostbuild.STDLIB
BENIGN = frozenset({
    (os.path.join(_STDLIB, "logging", "__init__.py"), "isEnabledFor"),
    (os.path.join(_STDLIB, "functools.py"), "dispatch"),
    (os.path.join(_STDLIB, "asyncio", "tasks.py"), "all_tasks"),
    (os.path.join(_STDLIB, "concurrent", "futures", "thread.py"), "_python_exit"),
})

OPTION_DEFAULTS = {"halt_on_error": "0", "exitcode": "66", "log_path": "", "history_size": "3",
                   "detect_deadlocks": "1",
                   "report": "", "suppressions": ""}


# The pytest plugin: its entry point's name (`-p no:gilless-race`), its module's name in
# the guest, its file.
PYTEST_PLUGIN = ("gilless-race", "_gilless_race_pytest",
                 os.path.join(os.path.dirname(__file__), "pytest_plugin.py"))


class OptionError(ValueError):
    pass


def parse_options(text):
    """The detector's options from `-X race=...` or GILLESS_RACE text."""
    options = dict(OPTION_DEFAULTS)
    for item in text.replace(",", " ").split():
        name, sep, value = item.partition("=")
        if name not in OPTION_DEFAULTS or not sep:
            raise OptionError(f"unknown race detector option {item!r} (known: "
                              f"{', '.join(OPTION_DEFAULTS)}, each as NAME=VALUE)")
        options[name] = value
    for name in ("halt_on_error", "exitcode", "history_size", "detect_deadlocks"):
        if not options[name].lstrip("-").isdigit():
            raise OptionError(f"race detector option {name} takes an integer, "
                              f"not {options[name]!r}")
    # (As ThreadSanitizer's, which refuses another value.)
    if not 0 <= int(options["history_size"]) <= 7:
        raise OptionError(f"race detector option history_size takes 0 to 7, "
                          f"not {options['history_size']}")
    read_suppressions(options["suppressions"])
    return options


SUPPRESSION_KINDS = ("race", "deadlock")


def read_suppressions(path):
    """The suppressions file at `path` (none if empty): {kind: [pattern]}, each pattern
    a compiled regular expression."""
    found = {kind: [] for kind in SUPPRESSION_KINDS}
    if not path:
        return found
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except (OSError, ValueError) as error:
        raise OptionError(f"cannot read the suppressions file {path!r}: "
                          f"{getattr(error, 'strerror', None) or error}") from None
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, pattern = line.partition(":")
        if kind.strip() not in found or not pattern.strip():
            raise OptionError(f"{path}, line {number}: a suppression is race:PATTERN or "
                              f"deadlock:PATTERN, not {line!r}")
        found[kind.strip()].append(_suppression_pattern(pattern.strip()))
    return found


def _suppression_pattern(text):
    """ThreadSanitizer's pattern: `*` matches any text, a leading `^` and a trailing `$`
    anchor it; else it matches anywhere in a name."""
    start, end = text.startswith("^"), len(text) > 1 and text.endswith("$")
    body = text[1 if start else 0:-1 if end else None]
    return re.compile("^" * start + ".*".join(map(re.escape, body.split("*"))) + "$" * end)


def _suppressed(patterns, stacks):
    """Whether a pattern matches the function (qualified or not) or the file of a frame
    of `stacks` (gilless.instrument.stacks' linked tuples)."""
    if not patterns:
        return False
    for stack in stacks:
        while stack:
            code = stack[0]
            for name in (code.co_qualname, code.co_name, code.co_filename):
                if any(pattern.search(name) for pattern in patterns):
                    return True
            stack = stack[2]
    return False


class RaceMode:
    """What the guest world calls to run under the race detector (see Space and run.finish)."""

    def __init__(self, options):
        self.halt_on_error = int(options["halt_on_error"]) != 0
        self.exitcode = int(options["exitcode"])
        self.log_path = options["log_path"]
        self.history_frames = 8 << int(options["history_size"])
        self.detect_deadlocks = int(options["detect_deadlocks"]) != 0
        self.report_path = options["report"]
        self.suppressions = read_suppressions(options["suppressions"])
        self.races = []
        self.inversions = []
        self._texts = []  # every report's text, in order
        self._seen = set()
        # (Reentrant: a report may run the program's code, a key's repr, that races.)
        self._lock = host_threading.RLock()
        # What a report's formatting imports (json, and tokenize for linecache), imported
        # before the guest's world is made: once it is, they would run the guest's `re`,
        # watched, in the middle of a report.
        for name in ("tokenize", "gilless.race.report"):
            __import__(name)
        self._log = None
        # The built-in modules this tool adds to the guest world, and what makes each.
        self.guest_modules = {"_gilless_race": self.guest_module}
        # Its pytest plugin, which the guest's pytest finds (gilless.objspace.pytestplugin).
        self.pytest_plugin = PYTEST_PLUGIN

    # -- set-up --

    def patch_module(self, name, module):
        from gilless.instrument import sync
        if name == "_thread":
            from gilless.concurrency import gil
            gil.prepare_thread_reports()
            sync.report_thread_exception = gil.report_thread_exception
            sync.patch_thread_module(module)
        elif name == "_queue":
            sync.patch_queue_module(module)
        elif name == "marshal":
            from gilless import instrument
            instrument.patch_marshal_module(module)
        elif name == "_warnings":
            from gilless import instrument
            instrument.patch_warnings_module(module)
        elif name == "gc":
            _patch_gc_module(module)
        elif name == "posix":
            from gilless.race import descriptors
            self._patch_exit(module)
            _patch_fork(module)
            descriptors.patch_posix(module)
        elif name == "_socket":
            from gilless.race import descriptors
            descriptors.patch_socket(module)
        elif name == "fcntl":
            from gilless.race import descriptors
            descriptors.patch_fcntl(module)
        elif name == "_multiprocessing":
            _patch_multiprocessing_module(module)

    def _patch_exit(self, module):
        """`os._exit` gives the verdict first, as ThreadSanitizer's does: the summary, the
        report file, and `exitcode` for a status of 0 after reports (in the process that
        made them: a forked child's exit says nothing of its parent's)."""
        from gilless.base.frames import hides_frames
        from gilless.module.builtinfunction import BuiltinFunction
        host_exit = module._exit
        pid = os.getpid()

        def _exit(status):
            if os.getpid() == pid:
                status = self.finish(status) if type(status) is int else status
            host_exit(status)

        module._exit = BuiltinFunction(hides_frames(_exit), shown=host_exit)

    def start(self, space):
        from gilless import instrument, lockorder
        from gilless.instrument import stacks, sync
        from gilless.race import detector
        stacks.MAX_DEPTH = self.history_frames
        detector.start(self.report)
        _scale_collections()
        _watch_collections()
        if self.detect_deadlocks:
            lockorder.start(self.report_inversion, detector.current_thread)
            instrument.install(detector, locks=lockorder)
        else:
            instrument.install(detector)
        space.builtins.__import__ = sync.import_hook(space.guest_import)

    def module_executed(self, name):
        from gilless.race import detector
        detector.module_executed(name)
        if name == "threading":
            from gilless.base.state import world
            _patch_threading_module(world.modules.get(name))

    # -- reports --

    def report(self, race):
        stacks = (race.current.stack, race.previous.stack)
        if race.innermost_functions() & BENIGN or \
                _suppressed(self.suppressions["race"], stacks):
            return
        sites = race.sites()
        with self._lock:
            if sites in self._seen:
                return
            self._seen.add(sites)
            self.races.append(race)
            from gilless.race import report
            self._add_text(report.format_race(race))
        if self.halt_on_error:
            self._halt()

    def report_inversion(self, inversion):
        """A lock-order inversion (gilless.lockorder reports each cycle once)."""
        if _suppressed(self.suppressions["deadlock"],
                       [stack for edge in inversion.edges
                        for stack in (edge.stack, edge.held_stack)]):
            return
        with self._lock:
            self.inversions.append(inversion)
            self._add_text(inversion.format())
        if self.halt_on_error:
            self._halt()

    def _add_text(self, text):
        self._texts.append(text)
        self._write(text)

    def _write(self, text):
        stream = self._log_stream()
        try:
            stream.write(text)
            stream.flush()
        except Exception:
            pass

    def _log_stream(self):
        if self._log is None:
            if self.log_path in ("", "stderr"):
                self._log = host_sys.__stderr__
            elif self.log_path == "stdout":
                self._log = host_sys.__stdout__
            else:
                self._log = open(f"{self.log_path}.{os.getpid()}", "a", encoding="utf-8")
        return self._log

    def _halt(self):
        self._summary()
        self._write_report_file()
        syshostview.exit_now(self.exitcode)

    def _summary(self):
        if self.races:
            self._write(f"Found {len(self.races)} data race(s)\n")
        if self.inversions:
            self._write(f"Found {len(self.inversions)} lock-order inversion(s)\n")

    def _write_report_file(self):
        if not self.report_path:
            return
        from gilless.race import report
        report.write_file(self.report_path, self.races, self.inversions)

    def finish(self, status):
        """The exit status once the program has ended: `exitcode` if races or lock-order
        inversions were reported and the program would have succeeded."""
        from gilless import instrument
        instrument.uninstall()
        with self._lock:
            self._summary()
            self._write_report_file()
            if self._texts and status == 0:
                return self.exitcode
        return status

    def release_objects(self):
        """Before `__main__` is finalized at exit, once the verdict is given: let go of
        every object the detector holds, so that the collections free what they free
        without it (some cycles pass through classes, which its search for cycles does
        not enter)."""
        from gilless.race import detector
        detector.release_all()

    # -- what the guest may ask --

    def guest_module(self):
        """`_gilless_race`, the guest's view of the detector (for the pytest plugin)."""
        import types
        module = types.ModuleType("_gilless_race", "The gilless race detector, as the "
                                  "guest sees it.")
        module.count = self.count
        module.reports_since = self.reports_since
        return module

    def count(self):
        """How many races and lock-order inversions were reported so far."""
        return len(self._texts)

    def reports_since(self, index):
        """The text of each report (a race or a lock-order inversion) after the first
        `index`."""
        with self._lock:
            return self._texts[index:]


# The detector makes several objects that the host's collector tracks for each object of
# the program's that it sees (a weak reference to it, a record for each of its locations),
# and every one of them counts towards the next collection: with its first threshold
# scaled by this, the collector runs about as often for the program's own allocations as
# it would without the detector, not several times as often (CPU time in two threads under
# `-X race`, interleaved medians of three: float 0.90, raytrace 0.90 on 3.11). The guest's
# `gc` shows and takes its thresholds unscaled.
COLLECTION_SCALE = 4
_guest_thresholds = None


def _scale_collections():
    global _guest_thresholds
    import gc
    _guest_thresholds = gc.get_threshold()
    gc.set_threshold(*_scaled(_guest_thresholds))


def _scaled(thresholds):
    # (A first threshold of 0 turns automatic collection off.)
    return (thresholds[0] * COLLECTION_SCALE,) + tuple(thresholds[1:])


# The guest's `gc.callbacks`, a list of its own: the host calls the detector's entry in
# its list (`_collection`), which calls the guest's.
_guest_gc_callbacks = []


def _watch_collections():
    import gc
    gc.callbacks.append(_collection)


def _collection(phase, info):
    """What a collection of the host's collector calls as it starts and as it stops: the
    detector's ordering of what it runs (see detector.collection_begins), around the
    guest's `gc.callbacks`, called as CPython calls them."""
    from gilless.race import detector
    if phase == "start":
        detector.collection_begins()
    try:
        index = 0
        # (By index, as CPython's loop: a callback may add to the list or remove from it.)
        while index < len(_guest_gc_callbacks):
            callback = _guest_gc_callbacks[index]
            index += 1
            try:
                callback(phase, info)
            except BaseException as error:
                syshostview.write_unraisable(error, None, callback)
    finally:
        if phase == "stop":
            detector.collection_ends()


# How many times the guest's `gc.collect` collects again at most, while the previous
# collection left objects that only the detector holds.
_COLLECTIONS = 8


def _patch_threading_module(module):
    """`Event.is_set()` returning True sees what `set()` published under the event's
    lock, as `wait()` returning does: programs poll the flag (`while not
    done.is_set(): time.sleep(...)`), which `threading` reads without the lock."""
    from gilless.base.frames import hides_frames
    from gilless.race import detector
    event = getattr(module, "Event", None)
    original = getattr(event, "is_set", None)
    if not isinstance(event, type) or not callable(original):
        return

    @functools.wraps(original)
    def is_set(self):
        if original(self):
            lock = getattr(getattr(self, "_cond", None), "_lock", None)
            if getattr(lock, "_sync", None):
                detector.acquired(lock)
            return True
        return False

    event.is_set = hides_frames(is_set)


def _patch_multiprocessing_module(module):
    """multiprocessing's locks and semaphores (`SemLock`, C code that `_thread` does not
    see) order threads as `threading`'s do: a release happens before the acquires that
    follow it. A semaphore's count lets several releases through, so its clock is the
    join of every release before (the detector's `publishing`, as a deque's puts)."""
    from gilless.race import detector
    host = getattr(module, "SemLock", None)
    if not isinstance(host, type):
        return

    class SemLock(host):
        __module__ = "_multiprocessing"
        __doc__ = host.__doc__

        def acquire(self, *args, **kwargs):
            acquired = host.acquire(self, *args, **kwargs)
            if acquired:
                detector.received(self)
            return acquired

        def release(self):
            detector.publishing(self)
            return host.release(self)

        def __enter__(self):
            entered = host.__enter__(self)
            detector.received(self)
            return entered

        def __exit__(self, *exc_info):
            detector.publishing(self)
            return host.__exit__(self, *exc_info)

    SemLock.__qualname__ = "SemLock"
    module.SemLock = SemLock


def _patch_fork(module):
    """`os.fork` (and `forkpty`) first lets go of what only the detector's strong shadows
    keep alive, as the guest's `gc.collect` does, so that the program's fork hooks and
    the child see the objects they would see without the detector: a registry of weak
    references holds none that the program let go of (loguru's fork hook takes the lock
    of each handler its registry holds: with the handlers of dicts the program had
    dropped, more locks, in another order from fork to fork)."""
    from gilless.base.frames import hides_frames
    from gilless.base.hoststack import call_above
    from gilless.module.builtinfunction import BuiltinFunction
    from gilless.module.systrace import guest_frame_from
    from gilless.race import detector
    for name in ("fork", "forkpty"):
        host = getattr(module, name, None)
        if host is not None:
            def fork(_host=host):
                detector.release_cycles()
                # (Called from the program's frame: 3.12's warning that the process has
                # threads names its line.)
                return call_above(guest_frame_from(host_sys._getframe(1)), _host)
            fork.__name__ = name
            setattr(module, name, BuiltinFunction(hides_frames(fork), shown=host))


def _patch_gc_module(module):
    """The guest's `gc.collect` first lets go of the garbage that the detector's strong
    shadows keep alive in reference cycles, so that the collection frees (and finalises)
    what it would free without the detector; and collects again while the collection
    freed the last referrers of objects that only the detector holds now (a dict the
    program wrote, which garbage it found referred to, and which refers to more). Its
    thresholds are the program's, which the host's are scaled from (COLLECTION_SCALE).
    Its `callbacks` are its own (see `_collection`)."""
    from gilless.base.hoststack import call_above
    from gilless.module.builtinfunction import BuiltinFunction
    from gilless.module.systrace import guest_frame_from
    from gilless.race import detector
    host_collect = module.collect

    def collect(*args, **kwargs):
        # (The host's collection called from the program's frame: the finalizers and
        # callbacks it runs have that frame as their caller, as in CPython.)
        frame = guest_frame_from(host_sys._getframe(1))
        detector.release_cycles()
        found = last = call_above(frame, host_collect, *args, **kwargs)
        # (A collection that found nothing freed no referrer of a held object.)
        for _ in range(_COLLECTIONS):
            if not last or not detector.release_cycles():
                break
            last = call_above(frame, host_collect, *args, **kwargs)
            found += last
        return found

    def get_threshold():
        return _guest_thresholds

    def set_threshold(*thresholds):
        global _guest_thresholds
        # (The host's checks its arguments, and fills in those not given.)
        host_set_threshold(*thresholds)
        _guest_thresholds = host_get_threshold()
        host_set_threshold(*_scaled(_guest_thresholds))

    host_get_threshold, host_set_threshold = module.get_threshold, module.set_threshold
    module.callbacks = _guest_gc_callbacks
    module.collect = BuiltinFunction(collect, shown=host_collect)
    module.get_threshold = BuiltinFunction(get_threshold, shown=host_get_threshold)
    module.set_threshold = BuiltinFunction(set_threshold, shown=host_set_threshold)
