"""The guest's `sys.settrace` and `sys.setprofile`: the guest's tracers see guest code only.

Guest frames are host frames, so the host's tracing machinery serves the
guest as it is; what must not reach a guest tracer is gilless's own code
(the Python-level `exec`, `eval` and `compile`, the stream forwarders, the
import system's loader, start-up and shutdown), which CPython runs in C and
so never reports. The guest's function is installed behind a filter, one
per `settrace` call (so per thread, sharing nothing between threads):

- a trace function is called by the host for `call` events only (the other
  events go to the frame's own `f_trace`, which the guest's function
  returns); the filter answers None for a gilless frame, so nothing inside
  it is traced. A gilless frame beneath a traced guest frame, which the
  host would report to its `f_trace` once the guest's code returns into it,
  gets a local function that ignores every event: when a guest frame is
  called from it, and when the guest installs its function (`bdb.set_trace`
  marks the whole stack first, and its `set_step` marks the caller of a
  returning frame unless the caller has a local function already).
- a profile function gets every event of every frame: those of gilless
  frames are dropped, except that a call from guest code to a gilless
  function that stands for a C built-in (`hides_frames`) is reported as
  CPython reports a built-in's, `c_call` and `c_return` (or `c_exception`)
  in the caller's frame.

`gettrace` and `getprofile` give back the guest's own function. With no
tracer set nothing here runs: the cost is paid by traced programs alone,
one Python call per event that passes through the filter.

Free-threaded CPython 3.13 crashes when another thread takes a thread's
trace or profile function away or replaces it while the thread runs (what
`threading.settrace_all_threads` and `setprofile_all_threads` do), when two
threads set functions at once, or when one sets a thread's function while
that thread, having none, runs code another thread's function instruments
(it may read the new function before its object). Setting in a thread the
function it has already, or one it has taken out but for the object, does
not crash. So on those hosts (`_SET_FOR_ALL_THREADS`):

- the guest's functions for all threads set the same function of gilless's
  in every thread, each time (`_HERE`), which calls the filter of the
  guest's function set last for all threads (`_ALL_THREADS`), and wraps the
  frames' local trace functions it hands out. Setting None there leaves it
  in place, and each thread takes it out itself, the calling thread at once,
  the others at their next event (reported by neither): the function goes,
  its object stays (`_take_out`), and the getters show None. A thread that
  `threading` starts sets the function for all threads itself: it gets
  gilless's too;
- setting a function, for all threads or for the calling thread, takes one
  lock (`_SETTING`), and the filters a thread set for itself are kept until
  it sets others (`_OWN`), so that none is freed while its thread calls it.
"""

import sys as host_sys
from _thread import RLock, _local

from gilless.base import frames, hostbuild, hoststack
from gilless.base.frames import for_c_profiler, hide_internal_frames, hides_frames

_BUILTIN_CALLS = frames.BUILTIN_CALLS
_unset = frames.taken_out
_CALLS_FOR_GUEST = frames.CALLS_FOR_GUEST
# Guest code runs with the guest's builtins; gilless's own code and the host's
# modules it uses (the host's importlib, `codeop`...) with the host's.
_HOST_BUILTINS = frames.HOST_BUILTINS


def is_internal_frame(frame):
    """True for a frame of gilless's code, or of a host module gilless runs."""
    return frame.f_builtins is _HOST_BUILTINS


def guest_frame_from(frame):
    """`frame`, or the first beneath it that runs guest code (None if none): the frame
    that C code gilless calls for the guest is called from in CPython (an `import`
    statement's, a signal's interrupted frame)."""
    while frame is not None and frame.f_builtins is _HOST_BUILTINS:
        frame = frame.f_back
    return frame


def host_builtin_named_as(function):
    """The host's C function that a gilless stand-in is named after (`exec` for the
    guest's `exec`), which profilers that count C calls recognise; else the function."""
    module = host_sys.modules.get(getattr(function, "__module__", None))
    name = getattr(function, "__name__", "")
    host = getattr(module, name, None)
    if type(host) is not type(len):
        # The host's `sys.displayhook` and its kin are gilless's forwarders; their C
        # functions are kept as `sys.__displayhook__`...
        host = getattr(module, f"__{name}__", None)
        if type(host) is not type(len):
            return function
    return host


def _ignore_events(frame, event, arg):
    """The local trace function of gilless frames beneath traced guest frames."""
    return None


# The filters below are called until the host's exit: what they use is bound as
# default arguments, since the host sets this module's globals to None as it tears
# modules down (a weak reference's callback of gilless's may run then, with the
# guest's tracer still on).

class GuestTracer:
    """The host's trace function for the guest's `function`."""

    __slots__ = ("function",)

    def __init__(self, function):
        self.function = function

    def __call__(self, frame, event, arg, _host_builtins=_HOST_BUILTINS,
                 _ignore_events=_ignore_events):
        if frame.f_builtins is _host_builtins:
            return None
        caller = frame.f_back
        if (caller is not None and caller.f_trace is None
                and caller.f_builtins is _host_builtins):
            # A debugger stepping out of this frame gives its caller its own local
            # function, unless it has one (bdb's set_step): the gilless caller gets
            # one that ignores its events.
            caller.f_trace = _ignore_events
        try:
            return self.function(frame, event, arg)
        except BaseException as error:
            # (As it leaves the host's call of its trace function, in CPython's place.)
            hide_internal_frames(error)
            raise


class GuestProfiler:
    """The host's profile function for the guest's `function`."""

    __slots__ = ("function",)

    def __init__(self, function):
        self.function = function

    def __call__(self, frame, event, arg, _host_builtins=_HOST_BUILTINS,
                 _builtin_calls=_BUILTIN_CALLS, _calls_for_guest=_CALLS_FOR_GUEST,
                 _returns=frames.returns):
        if frame.f_builtins is _host_builtins:
            code = frame.f_code
            # The call that installed this function ends unreported, as in CPython,
            # which reports a C call's end only if it reported its start.
            if event == "call" or (event == "return" and code is not _SETPROFILE_CODE):
                shown = _builtin_calls.get(code)
                caller = frame.f_back
                if (shown is not None and caller is not None
                        and caller.f_builtins is not _host_builtins):
                    shown = shown(frame)
                    if shown is not None:
                        self.function(caller, "c_call" if event == "call" else
                                      "c_return" if _returns(frame) else "c_exception", shown)
            elif code in _calls_for_guest and event[0] == "c":
                # The C function the guest called, called for it: its events are the
                # guest frame's.
                caller = frame.f_back
                if (caller is not None and caller.f_builtins is not _host_builtins
                        and arg is frame.f_locals.get("bound")):
                    self.function(caller, event, arg)
            return None
        try:
            return self.function(frame, event, arg)
        except BaseException as error:
            hide_internal_frames(error)
            raise


# The host's PyTrace_* codes.
_PROFILE_EVENTS = {"call": 0, "exception": 1, "line": 2, "return": 3, "c_call": 4,
                   "c_exception": 5, "c_return": 6, "opcode": 7}


class CProfileFunction:
    """A C profile function (cProfile's, on hosts before 3.12) and its object, called
    through ctypes: the host cannot put Python code in front of a C function itself.
    `call` is set once the profiler has installed its function, from the thread
    state where the host keeps it."""

    __slots__ = ("profiler", "call")

    def __init__(self, profiler):
        self.profiler = profiler
        self.call = None

    def __call__(self, frame, event, arg, _for_c_profiler=for_c_profiler):
        # A stand-in's call, shown as the host built-in it is named after.
        self.call(self.profiler, frame, _PROFILE_EVENTS[event],
                  _for_c_profiler(host_builtin_named_as(arg)))


class CProfileFilter(GuestProfiler):
    """A `GuestProfiler` in front of a `CProfileFunction`: a guest frame's event goes
    straight to the C function. (It refers to nothing that refers back to it, so that
    it and the profiler go as soon as the host drops it, as a C profiler does.)"""

    __slots__ = ()

    def __call__(self, frame, event, arg, _host_builtins=_HOST_BUILTINS,
                 _guest_profiler=GuestProfiler.__call__, _profile_events=_PROFILE_EVENTS):
        if frame.f_builtins is not _host_builtins:
            function = self.function
            return function.call(function.profiler, frame, _profile_events[event], arg)
        return _guest_profiler(self, frame, event, arg)


def _unwrapped(installed, wrapper_type):
    if type(installed) is wrapper_type:
        return installed.function
    return installed


def _quiet_internal_frames(frame):
    """Give the gilless frames of this stack the local trace function that ignores
    events, replacing one a debugger set when it marked the whole stack."""
    while frame is not None:
        if is_internal_frame(frame):
            frame.f_trace = _ignore_events
        frame = frame.f_back


def _guest_bottom(frame):
    """The outermost guest frame of this stack (None if it has none)."""
    bottom = None
    while frame is not None:
        if not is_internal_frame(frame):
            bottom = frame
        frame = frame.f_back
    return bottom


def _move_debugger_bottom(function, frame):
    """A `bdb` debugger keeps the bottom of the stack it was started on, the
    whole stack's in `set_trace`, to end its stack listings and `up` there; the
    guest's bottom frame is the one CPython's debugger would keep."""
    debugger = getattr(function, "__self__", None)
    bottom = getattr(debugger, "botframe", None)
    if type(bottom) is type(frame) and is_internal_frame(bottom):
        guest_bottom = _guest_bottom(frame)
        if guest_bottom is not None:
            debugger.botframe = guest_bottom


_PROFILE, _TRACE = 0, 1
# Free-threaded 3.13 crashes when a thread's function is taken away by another.
_SET_FOR_ALL_THREADS = hostbuild.CRASHES_ON_SHARING
# Taken to set a function for all threads, or one for this thread: on the hosts that
# crash when two threads set them at once (below), they take turns.
_SETTING = RLock()
# On those hosts, the filters a thread set for itself, kept until it sets others or
# ends: another thread's setting a function for all threads replaces them, maybe while
# this thread is calling one.
_OWN = _local()


def _set_here(kind, installed):
    with _SETTING:
        (host_sys.setprofile, host_sys.settrace)[kind](installed)
        if _SET_FOR_ALL_THREADS:
            setattr(_OWN, ("profile", "trace")[kind], installed)


def settrace(function, /):
    if function is None:
        _set_here(_TRACE, None)
        return
    caller = host_sys._getframe(1)
    _quiet_internal_frames(caller)
    _move_debugger_bottom(function, caller)
    for_all_threads = _ALL_THREADS[_TRACE]
    if for_all_threads is not None and for_all_threads.function is function:
        # A thread that `threading` starts sets the function set for all threads: its
        # frames' local functions then stop at once when that is unset.
        _set_here(_TRACE, _trace_for_all_threads)
    else:
        _set_here(_TRACE, GuestTracer(function))


def call_untraced(function, *args):
    """`function(*args)`, where gilless itself runs guest code (reads the guest's
    `os.environ`) that CPython's C code would not run: unseen by the guest's tracer."""
    trace = host_sys.gettrace()
    profile = host_sys.getprofile()
    if trace in (None, _unset) and profile in (None, _unset):
        return function(*args)
    host_sys.settrace(None)
    host_sys.setprofile(None)
    try:
        return function(*args)
    finally:
        for kind, (installed, set_here) in enumerate(((profile, host_sys.setprofile),
                                                      (trace, host_sys.settrace))):
            if installed is _unset:
                _take_out(kind)
            else:
                set_here(installed)


def gettrace():
    installed = host_sys.gettrace()
    if installed is _trace_for_all_threads:
        installed = _ALL_THREADS[_TRACE]
    elif installed is _unset:
        return None
    return _unwrapped(installed, GuestTracer)


def setprofile(function, /):
    _set_here(_PROFILE, None if function is None else GuestProfiler(function))


def getprofile():
    installed = host_sys.getprofile()
    if installed is _profile_for_all_threads:
        installed = _ALL_THREADS[_PROFILE]
    elif installed is _unset:
        return None
    if type(installed) is CProfileFilter:
        return installed.function.profiler
    return _unwrapped(installed, GuestProfiler)


# The filters of the trace and the profile function last set for all threads, on the
# hosts that crash when a thread's function is taken away by another (None when unset);
# every thread reads them.
_ALL_THREADS = [None, None]


# For the profile and the trace function: the host's function that gets this thread's,
# and the function of gilless's set in every thread (filled below).
_HERE = []


def _take_out(kind, _setters=[]):
    """Take this thread's profile or trace function out (`kind`) as `sys.setprofile(None)`
    would, but leaving the object the host calls it with: `_unset`, which its getter
    returns then. The host stores a function and then its object, and a thread reads
    them in turn for each event: where another thread sets this one's function while
    this one runs (under a function for all threads), the object is never missing (a
    crash)."""
    if not _setters:
        memory = hoststack.memory()
        _setters += [memory.function("PyEval_SetProfile"), memory.function("PyEval_SetTrace"),
                     memory.py_object(_unset)]
    _setters[kind](None, _setters[2])


def _left_this_thread(kind, _all_threads=_ALL_THREADS, _here=_HERE, _setting=_SETTING,
                      _take_out=_take_out):
    """Whether the function for all threads, unset, was this thread's: if so the thread
    takes it out (each thread does it for itself, as another thread's taking it away
    crashes)."""
    get_here, for_all_threads = _here[kind]
    with _setting:
        if _all_threads[kind] is None and get_here() is for_all_threads:
            _take_out(kind)
            return True
    return False


def _profile_for_all_threads(frame, event, arg, _all_threads=_ALL_THREADS,
                             _left=_left_this_thread):
    profiler = _all_threads[0]
    if profiler is None:
        _left(0)
        return None
    return profiler(frame, event, arg)


class _LocalTraceForAllThreads:
    """A frame's local trace function, returned by the guest's trace function for all
    threads: once that is unset, the frame's events stop at once, as in CPython (its
    thread takes the function out)."""

    __slots__ = ("function",)

    def __init__(self, function):
        self.function = function

    def __call__(self, frame, event, arg, _all_threads=_ALL_THREADS,
                 _left=_left_this_thread):
        if _all_threads[1] is None and _left(1):
            return None
        local = self.function(frame, event, arg)
        if local is None:
            return None
        if local is self.function:
            return self
        return type(self)(local)


def _trace_for_all_threads(frame, event, arg, _all_threads=_ALL_THREADS,
                           _left=_left_this_thread, _local=_LocalTraceForAllThreads):
    tracer = _all_threads[1]
    if tracer is None:
        _left(1)
        return None
    local = tracer(frame, event, arg)
    return None if local is None else _local(local)


_HERE += [(host_sys.getprofile, _profile_for_all_threads),
          (host_sys.gettrace, _trace_for_all_threads)]


# On those hosts, the handles of the guest's threads whose code has ended, while they may
# still be ending (see `thread_ending`).
_ENDING = []
# How many such threads are kept before those done are let go; how long one setting
# waits for a thread to end, at most.
_ENDING_KEPT = 64
_ENDING_WAIT = 1.0


def thread_ending(handle):
    """On those hosts, called by each thread the guest starts, with its `_thread` handle,
    once its code has ended: the host may now delete the thread's state at any time,
    and setting a function for all threads meanwhile crashes it (it walks the
    threads' states without holding their list's lock, and writes into the one being
    freed). `_set_for_all_threads` waits for such a thread to be done."""
    with _SETTING:
        _ENDING.append(handle)
        if len(_ENDING) > _ENDING_KEPT:
            _ENDING[:] = [ending for ending in _ENDING if not ending.is_done()]


def _setting_when_no_thread_ends():
    """Take `_SETTING` once no thread the guest started is ending: while it is held, a
    thread whose code ends waits for it in `thread_ending`, before its state can go."""
    from time import monotonic, sleep
    deadline = None
    while True:
        _SETTING.acquire()
        _ENDING[:] = [ending for ending in _ENDING if not ending.is_done()]
        if not _ENDING:
            return
        _SETTING.release()
        if deadline is None:
            deadline = monotonic() + _ENDING_WAIT
        elif monotonic() > deadline:
            # (A thread kept from ending, by a finalizer it runs as it ends: it is let be.)
            _SETTING.acquire()
            del _ENDING[:]
            return
        sleep(0.0001)


def _set_for_all_threads(kind, installed):
    set_everywhere = (host_sys._setprofileallthreads, host_sys._settraceallthreads)[kind]
    if not _SET_FOR_ALL_THREADS:
        set_everywhere(installed)
        return
    # Set in every thread, also when unset, and in the threads that have it already
    # (which is safe): a function that a thread set for itself is replaced then, and
    # so taken out by the thread itself, as CPython takes it out.
    # (Two threads setting at once crash that host too.)
    _setting_when_no_thread_ends()
    try:
        _ALL_THREADS[kind] = installed
        set_everywhere(_HERE[kind][1])
        if installed is None:
            _take_out(kind)
    finally:
        _SETTING.release()


def _settraceallthreads(function, /):
    # One filter shared by the threads: it holds nothing that changes.
    _set_for_all_threads(_TRACE, None if function is None else GuestTracer(function))


def _setprofileallthreads(function, /):
    _set_for_all_threads(_PROFILE, None if function is None else GuestProfiler(function))


def _guest_functions():
    functions = [settrace, gettrace, setprofile, getprofile]
    functions += [function for function in (_settraceallthreads, _setprofileallthreads)
                  if hasattr(host_sys, function.__name__)]
    guest = {}
    for function in functions:
        function.__module__ = "sys"
        function.__doc__ = getattr(host_sys, function.__name__).__doc__
        # A profile function sees installing and removing it as calls of a C function.
        guest[function.__name__] = hides_frames(function)
    return guest


GUEST_FUNCTIONS = _guest_functions()
_SETPROFILE_CODE = GUEST_FUNCTIONS["setprofile"].__code__


def definitions():
    """The guest `sys`'s tracing functions, as the host's version has them."""
    return dict(GUEST_FUNCTIONS)
