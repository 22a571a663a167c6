"""The thread profiler's sampler: what is frequent, seen a few hundred times a second.

A host thread (not a guest one: the program never sees it, and the exit does
not wait for it) wakes every `interval` seconds and takes, for every live
guest thread that is not in a wait the events already time:

- the line it runs: the innermost frame of the program (not of the standard
  library, not gilless's), or "<import>" when that frame is inside an import
  (on a free-threaded host, only the thread's innermost frame is read, see
  `_walk`);
- what the kernel says it is doing, from Linux's `/proc/self/task/TID/syscall`:
  running (on a core, or ready for one), blocked in `futex` (a lock the events
  do not see: the host's GIL on a default host, a per-object lock on a
  free-threaded one) or blocked in another system call (I/O, select, sleep).
  Elsewhere the state is unknown;
- the shared objects the line names: globals of the frame's module, and the
  arguments and closure variables the thread's target was started with, when
  the frame is the target's own. Only containers and instances of the
  program's classes count; objects reached through other locals, attributes
  or items are not named (their line still shows as hot). Reading a running
  frame's other locals from another thread is not safe on a free-threaded host.

The samples are weighted by the time since the previous tick, so a late tick
counts for what it stands for.
"""

import _thread as host_thread
import os
import sys
import time
import types
from collections import deque
from time import perf_counter

from gilless.base import hostbuild
from gilless.base.hostimports import host_module
from gilless.concurrency import hostcrashes
from gilless.instrument import sync
from gilless.threadprof.recorder import LIBRARY, PROGRAM, frame_kind

RUNNING, FUTEX, SYSCALL, UNKNOWN = "running", "futex", "syscall", "unknown"
IMPORT = "<import>"
# The number of the futex system call in /proc/PID/syscall, by machine.
_FUTEX = {"x86_64": "202", "amd64": "202", "aarch64": "98", "arm64": "98", "i686": "240",
          "i386": "240", "armv7l": "240", "ppc64le": "221", "s390x": "238", "riscv64": "98"}
# The containers whose sharing the sampler reports (besides instances of the program's
# classes).
CONTAINERS = frozenset({dict, list, set, bytearray, deque, tuple})
_NOT_SHARED_DATA = (type, types.FunctionType, types.ModuleType, types.MethodType,
                    types.BuiltinFunctionType)
MAX_SAMPLES = 1_000_000
# The share of the run's time that reading the threads' frames may take on a
# free-threaded host, where `sys._current_frames()` stops every thread until each reaches
# a safe point: 25 us with two busy threads on an idle core, a millisecond and more when
# the threads outnumber the cores (a descheduled thread answers when it next runs). Frames
# are then read at the ticks that keep that cost within this share; the kernel's states,
# a read of an open file per thread, at every tick. (Under a GIL the call costs a
# microsecond; frames are read at every tick.)
FRAMES_BUDGET = 0.02
# ... but at least this often (seconds), whatever one read cost: a pause of the world that
# the machine's load drew out would otherwise leave a second or more without a line.
MAX_FRAMES_GAP = 0.05
_LOADS = {"LOAD_GLOBAL": 0, "LOAD_NAME": 0, "LOAD_FAST": 1, "LOAD_FAST_CHECK": 1,
          "LOAD_FAST_AND_CLEAR": 1, "LOAD_FAST_LOAD_FAST": 1, "LOAD_DEREF": 2}


class SharedObject:
    """An object the samples saw several threads' lines name."""

    __slots__ = ("obj", "name", "how", "module_file", "threads", "lines", "seconds")

    def __init__(self, obj, name, how, module_file):
        self.obj = obj
        self.name = name
        self.how = how
        self.module_file = module_file
        self.threads = {}   # thread index -> seconds of samples naming it
        self.lines = {}     # (file, line) -> seconds
        self.seconds = 0.0


class Sampler:
    def __init__(self, recorder, interval):
        self.recorder = recorder
        self.interval = interval
        self.objects = {}    # id -> SharedObject
        self.ticks = 0
        self.overhead = 0.0
        self._names = {}     # code -> {line: ((globals), (locals), (cells))}
        self._bindings = {}  # thread index -> (code, {name: object})
        self._stop = False
        self._done = host_thread.allocate_lock()
        futex = _FUTEX.get(os.uname().machine.lower()) if hasattr(os, "uname") else None
        self._futex = futex.encode() if futex else None
        self._proc = sys.platform.startswith("linux")
        self._fds = {}       # native thread id -> its /proc syscall file, or None
        # Walk each thread's stack out to the program's frame, under a GIL only: on a
        # free-threaded host another thread's frames change under the reader (CPython's
        # free-threading guide says reading them is not safe), so only the innermost
        # one is read, and a thread inside the standard library shows no line.
        self._walk = not hostbuild.FREE_THREADED_BUILD
        self._samples = 0
        # When frames were last read, and when they may be read again (see FRAMES_BUDGET).
        self._frames_read = 0.0
        self._frames_after = 0.0
        self._frames_budget = FRAMES_BUDGET if hostbuild.FREE_THREADED_BUILD else None

    def start(self):
        self._done.acquire()
        # (Counted by `_thread._count`, which tells the guest's threads from none.)
        hostcrashes.own_thread_started()
        host_thread.start_new_thread(self._run, ())

    def stop(self):
        self._stop = True
        self._done.acquire()
        self._done.release()

    def _run(self):
        try:
            last = perf_counter()
            while not self._stop:
                time.sleep(self.interval)
                now = perf_counter()
                self._tick(now, now - last)
                last = now
                self.overhead += perf_counter() - now
        except Exception as error:
            # The profile goes on without samples rather than ending the program.
            print(f"gilless threadprof: internal error in the sampler: {error!r}",
                  file=sys.__stderr__)
        finally:
            for fd in self._fds.values():
                if fd is not None:
                    os.close(fd)
            self._done.release()

    def _tick(self, now, weight):
        self.ticks += 1
        # Sampled locks count in some ticks only, and leave the entries that waited.
        sync.tick(self.ticks, self.interval)
        self.recorder.entry_waits(sync.drain())
        records = [record for record in self.recorder.live() if record.waiting is None]
        # What the kernel says first: reading the frames stops the world on a free-threaded
        # host, and threads still waking from that stop would show in a futex, as if they
        # waited for one of the host's locks.
        states = [self._state(record.native_id) if self._proc else UNKNOWN
                  for record in records]
        frames = None
        if now >= self._frames_after:
            before = perf_counter()
            frames = sys._current_frames()
            if not self._walk:
                # What is read of each thread's frame is taken at once, and the frame
                # objects let go: here the threads run on while the sampler works, and
                # the host copies a frame that returns while its frame object is held
                # into that object (pyperformance's float in two threads, medians of 11:
                # 1.27x the plain run's time with the frames held to the end of the
                # tick, 1.07x without).
                frames = {ident: (frame.f_code, frame.f_lineno, frame.f_globals)
                          for ident, frame in frames.items()}
            if self._frames_budget:
                self._frames_after = now + min((perf_counter() - before) / self._frames_budget,
                                               MAX_FRAMES_GAP)
            # Lines weigh the time since the last frames were read.
            line_weight = now - self._frames_read if self._frames_read else weight
            self._frames_read = now
        for record, state in zip(records, states):
            if record.waiting is not None:
                continue
            line = objects = None
            if frames is not None:
                ident = record.ident
                if ident not in frames:
                    continue
                frame = frames[ident]
                line, objects = self._line(frame, record)
                if self._walk:
                    # Under a GIL, a thread blocked at a sampled lock's `with` waits for
                    # the lock (or for the GIL it needs again once it has it).
                    counts = sync.entry_place(frame) if state == FUTEX else None
                    self.recorder.entry_sampled(record, counts, frame, now, weight)
            # (`in` then `[]`, not `get`: these dicts were made by another thread, where a
            # free-threaded host's `get` with an equal, not identical, key is slow.)
            _add(record.states, state, weight)
            if line is not None:
                _add(record.lines, (line, state), line_weight)
            if self._samples < MAX_SAMPLES:
                self._samples += 1
                record.samples.append((now, weight, state, line))
            if objects and state != SYSCALL:
                for name, how, module_file, obj in objects:
                    self._count(record.index, line, line_weight, name, how, module_file, obj)

    def _state(self, native_id):
        # A file kept open per thread: opening a /proc file of a busy multi-threaded
        # process can take milliseconds, re-reading an open one takes one.
        fds = self._fds
        if native_id in fds:
            fd = fds[native_id]
        else:
            try:
                fd = os.open(f"/proc/self/task/{native_id}/syscall", os.O_RDONLY)
            except OSError:
                fd = None
            fds[native_id] = fd
        if fd is None:
            return UNKNOWN
        try:
            text = os.pread(fd, 16, 0)
        except OSError:
            return UNKNOWN
        if text.startswith(b"running"):
            return RUNNING
        if self._futex is None:
            return UNKNOWN
        return FUTEX if text.split(b" ", 1)[0] == self._futex else SYSCALL

    def _line(self, frame, record):
        """The program line `frame`'s thread runs, and the shared objects it names. On a
        free-threaded host `frame` is the code, line and globals of the thread's
        innermost frame, read as _current_frames made it (see _tick)."""
        if not self._walk:
            code, number, namespace = frame
            kind = frame_kind(code.co_filename)
            if kind == PROGRAM:
                line = code.co_filename, number
                return line, self._named(namespace, code, number, record)
            if code.co_filename.startswith("<frozen importlib"):
                return IMPORT, None
            return None, None
        in_import = False
        while frame is not None:
            code = frame.f_code
            kind = frame_kind(code.co_filename)
            if kind == PROGRAM:
                line = code.co_filename, frame.f_lineno
                if in_import:
                    return IMPORT, None
                return line, self._named(frame.f_globals, code, line[1], record)
            if kind == LIBRARY and code.co_filename.startswith("<frozen importlib"):
                in_import = True
            frame = frame.f_back
        return None, None

    # -- shared objects --

    def _named(self, namespace, code, line, record):
        if code in self._names:
            by_line = self._names[code]
        else:
            by_line = self._names[code] = _names_by_line(code)
        if line not in by_line:
            return None
        global_names, local_names, cell_names = by_line[line]
        found = []
        if global_names:
            module_file = namespace["__file__"] if "__file__" in namespace else None
            for name in global_names:
                if name in namespace:
                    obj = namespace[name]
                    if _is_data(obj):
                        found.append((name, "global", module_file, obj))
        if (local_names or cell_names) and record.target is not None:
            bound = self._bound(record)
            if bound is not None and bound[0] is code:
                names = bound[1]
                for name in local_names + cell_names:
                    if name in names:
                        obj = names[name]
                        if _is_data(obj):
                            found.append((name, "argument", None, obj))
        return found

    def _bound(self, record):
        """(code, {name: object}) of the thread's target: its arguments and closure."""
        index = record.index
        if index in self._bindings:
            return self._bindings[index]
        bound = None
        target = record.target
        function = getattr(target, "__func__", target)
        code = getattr(function, "__code__", None)
        if isinstance(code, types.CodeType):
            args, kwargs = record.arguments
            if hasattr(target, "__self__") and hasattr(target, "__func__"):
                args = (target.__self__,) + tuple(args)
            names = {}
            positional = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
            for name, value in zip(positional, args):
                names[name] = value
            if type(kwargs) is dict:
                for name, value in kwargs.items():
                    names[name] = value
            for name, cell in zip(code.co_freevars, function.__closure__ or ()):
                try:
                    names[name] = cell.cell_contents
                except ValueError:
                    pass
            bound = code, names
        self._bindings[index] = bound
        return bound

    def _count(self, thread, line, weight, name, how, module_file, obj):
        key = id(obj)
        if key in self.objects:
            shared = self.objects[key]
        else:
            shared = self.objects[key] = SharedObject(obj, name, how, module_file)
        _add(shared.threads, thread, weight)
        _add(shared.lines, line, weight)
        shared.seconds += weight


def _add(table, key, value):
    if key in table:
        table[key] += value
    else:
        table[key] = value


def _is_data(obj):
    cls = type(obj)
    if cls in CONTAINERS:
        return bool(obj) or cls is not tuple
    if isinstance(obj, _NOT_SHARED_DATA) or callable(obj):
        return False
    if cls in _program_classes:
        return _program_classes[cls]
    # An instance of a class the program defined: one whose methods are the program's.
    mine = cls.__module__ == "__main__"
    for value in vars(cls).values():
        code = getattr(value, "__code__", None)
        if isinstance(code, types.CodeType):
            mine = frame_kind(code.co_filename) == PROGRAM
            break
    _program_classes[cls] = mine
    return mine


_program_classes = {}


def _names_by_line(code):
    """line -> (global names, local names, cell names) that the line's code loads."""
    dis = host_module("dis")
    by_line = {}
    line = None
    for instruction in dis.get_instructions(code):
        positions = getattr(instruction, "positions", None)
        if positions is not None and positions.lineno is not None:
            line = positions.lineno
        kind = _LOADS.get(instruction.opname)
        if kind is None or line is None:
            continue
        names = instruction.argval
        if type(names) is not tuple:
            names = (names,)
        entry = by_line.setdefault(line, ([], [], []))
        for name in names:
            if type(name) is str and name not in entry[kind]:
                entry[kind].append(name)
    return {line: tuple(map(tuple, entry)) for line, entry in by_line.items()}
