"""`sys.monitoring` tools see guest code only (hosts from 3.12).

A monitoring tool (cProfile from 3.12, coverage's `sysmon` core, the
guest's own) registers its callbacks with `sys.monitoring.register_callback`
of the host's `sys`, even from C (`_lsprof` looks the function up there),
and the host then calls them for every frame of the process, gilless's
included. So the host's `register_callback` is replaced, once, by one that
registers the tool's function behind a filter. An event from gilless's own
code (a frame with the host's builtins, as `systrace` tells them) is
dropped, and where the event can be turned off at its place the filter
answers `DISABLE`, so the host stops reporting it there: after the first
run of each place in gilless's code, the filter costs nothing more.

A guest call of a gilless function that stands for a C built-in
(`frames.hides_frames`, such as `exec`) is reported as CPython reports the
built-in: a `CALL` of the host's built-in of that name, and its `C_RETURN`
or `C_RAISE` when the function's frame ends, both in the caller's frame,
with the function's own events dropped. Each tool keeps, per thread, the
calls so reported whose end is still to come.

`register_callback` hands back the tool's own function, never the filter.
"""

import _thread
import sys as host_sys
from _functools import partial as _PARTIAL

from gilless.base import frames, hostbuild
from gilless.base.frames import hide_internal_frames, hides_frames
from gilless.base.hosttypes import MethodType
from gilless.base.state import world
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.systrace import host_builtin_named_as, is_internal_frame

_BUILTIN_CALLS = frames.BUILTIN_CALLS
_INSERTED_CALLS = frames.INSERTED_CALLS
_FUNCTION_STAND_INS = frames.FUNCTION_STAND_INS
_CALLS_FOR_GUEST = frames.CALLS_FOR_GUEST
_FUNCTION = type(lambda: None)
_BUILTIN_FUNCTION_CALL = BuiltinFunction.__call__.__code__
# Functions called before a tool's first callback is registered: they run guest code
# that `systrace.call_untraced` would keep from tracers and profilers, which nothing
# keeps from a monitoring tool while it is on (`hostmodules.load_standard_codecs_now`).
BEFORE_FIRST_TOOL = []
# Forgotten all at once past this many, to bound what a long run keeps alive.
_GUEST_CODES_KEPT = 10000


class _Calls(_thread._local):
    """Per thread: for each tool, the built-in calls reported whose end is to come,
    as [code, frame or None, shown callable, first argument]; and id(code) -> code,
    for guest code seen in an event (kept alive while here). (Read at every event: a
    dict that threads share would serialise them on a free-threaded host, whose
    `dict.get` takes the dict's lock.)"""

    def __init__(self):
        self.by_tool = {}
        self.guest_codes = {}


def install():
    """Put the filter in front of every callback registered from now on."""
    monitoring = getattr(host_sys, "monitoring", None)
    if monitoring is None or monitoring.register_callback is _REGISTER_CALLBACK:
        return
    _state.start(monitoring)
    monitoring.register_callback = _REGISTER_CALLBACK


def has_callbacks():
    """Whether a tool has registered a callback (that may still be called)."""
    return bool(_state.callbacks)


def call_unmonitored(function, *args):
    """`function(*args)`, guest code that gilless runs where CPython runs none, with every
    tool's events turned off while it runs: for the process, so only where no other
    thread runs the guest's code (as the guest's first thread starts)."""
    if not _state.callbacks:
        return function(*args)
    monitoring = _state.monitoring
    # (Tool identifiers are 0 to 5.)
    events = [(tool, monitoring.get_events(tool)) for tool in range(6)]
    for tool, on in events:
        if on:
            monitoring.set_events(tool, 0)
    try:
        return function(*args)
    finally:
        for tool, on in events:
            if on:
                monitoring.set_events(tool, on)


def _of_c_profiler(function):
    """Whether `function` is a callback of cProfile's C profiler (`_lsprof.Profiler`'s
    bound method; its type is the module's own, one per module object)."""
    return any(cls.__name__ == "Profiler" and cls.__module__ == "_lsprof"
               for cls in type(getattr(function, "__self__", None)).__mro__)


# Taken by every call of a C profiler's callbacks (`_one_thread_at_a_time`).
_PROFILER_LOCK = _thread.RLock()


def _one_thread_at_a_time(callback):
    """`callback`, a C profiler's, called by one thread at a time, and not once it is
    taken out (`_taken_out`), which its profiler's `disable` does before it empties
    the profiler's stack. The profiler keeps one stack of calls and one table of
    entries, with no lock, for every thread: on a free-threaded host before 3.15,
    threads that run while it profiles (`python -m cProfile` of a program that starts
    threads) crash or hang the host."""
    lock = _PROFILER_LOCK
    registered = [True]

    def one_thread_at_a_time(*arguments):
        with lock:
            if registered[0]:
                return callback(*arguments)
    one_thread_at_a_time.registered = registered
    return one_thread_at_a_time


def _taken_out(filtered):
    """The callback behind `filtered`, a filter the host no longer calls, is not called
    by a thread that the host called it in before: once this returns, none runs it."""
    registered = getattr(filtered, "registered", None)
    if registered is not None:
        with _PROFILER_LOCK:
            registered[0] = False


def register_callback(tool_id, event, func, /):
    return _state.register_callback(tool_id, event, func)


class _State:
    # (tool, event) -> the tool's own function, from `start` on.
    callbacks = None

    def start(self, monitoring):
        self.monitoring = monitoring
        self.host_register = monitoring.register_callback
        self.events = monitoring.events
        self.disable = monitoring.DISABLE
        # (tool, event) -> the tool's own function.
        self.callbacks = {}
        self.calls = _Calls()

    def register_callback(self, tool_id, event, func, /):
        if func is not None and not self.callbacks:
            # What gilless would otherwise load unseen while a tool is on.
            for prepare in BEFORE_FIRST_TOOL:
                prepare()
        if func is None:
            installed = self.host_register(tool_id, event, None)
            self.callbacks.pop((tool_id, event), None)
        else:
            installed = self.host_register(tool_id, event, self.filter(tool_id, event, func))
            self.callbacks[(tool_id, event)] = func
        _taken_out(installed)
        return getattr(installed, "tool_function", installed)

    def filter(self, tool, event, function):
        tool_function, registered = function, None
        c_profiler = _of_c_profiler(function)
        if hostbuild.CRASHES_ON_SHARING and c_profiler:
            function = _one_thread_at_a_time(function)
            registered = function.registered
        events = self.events
        disable = self.disable
        calls = self.calls
        internal = self.internal
        if event == events.CALL:
            def filtered(code, offset, callable, arg0):
                if (calls.guest_codes.get(id(code)) is not code
                        and internal(code, host_sys._getframe(1))):
                    return disable
                if type(callable) is _FUNCTION:
                    if callable.__code__ in _BUILTIN_CALLS:
                        callable = self.reported_call(tool, callable, callable.__code__,
                                                      arg0, c_profiler)
                    elif callable.__code__ in _INSERTED_CALLS:
                        return disable
                elif (type(callable) is MethodType and type(callable.__func__) is _FUNCTION
                      and callable.__func__.__code__ in _BUILTIN_CALLS):
                    # (A stand-in's method: a guarded generator's `send`.)
                    callable = self.reported_call(tool, callable, callable.__func__.__code__,
                                                  arg0, c_profiler)
                elif type(callable) is BuiltinFunction:
                    # (Its frame is the `hides_frames` wrapper of its `__call__`.)
                    callable = self.reported_call(tool, callable, _BUILTIN_FUNCTION_CALL,
                                                  arg0, c_profiler)
                elif type(callable) is _PARTIAL:
                    callable = _called_for_guest(callable)
                try:
                    return function(code, offset, callable, arg0)
                except BaseException as error:
                    # (As it leaves the host's call of the callback, in CPython's place.)
                    hide_internal_frames(error)
                    raise
        elif event in (events.C_RETURN, events.C_RAISE):
            def filtered(code, offset, callable, arg0):
                if (calls.guest_codes.get(id(code)) is not code
                        and internal(code, host_sys._getframe(1))):
                    return None
                if type(callable) is _PARTIAL:
                    callable = _called_for_guest(callable)
                elif type(callable) in _FUNCTION_STAND_INS:
                    return None
                try:
                    return function(code, offset, callable, arg0)
                except BaseException as error:
                    hide_internal_frames(error)
                    raise
        elif event in (events.PY_RETURN, events.PY_UNWIND):
            ends = events.C_RETURN if event == events.PY_RETURN else events.C_RAISE
            answer = disable if event == events.PY_RETURN else None

            def filtered(code, offset, value):
                if calls.guest_codes.get(id(code)) is not code:
                    frame = host_sys._getframe(1)
                    if internal(code, frame):
                        if code in _BUILTIN_CALLS:
                            self.end_call(tool, frame, ends)
                            return None
                        return answer
                try:
                    return function(code, offset, value)
                except BaseException as error:
                    hide_internal_frames(error)
                    raise
        elif event == events.PY_START:
            def filtered(code, offset):
                if calls.guest_codes.get(id(code)) is not code:
                    frame = host_sys._getframe(1)
                    if internal(code, frame):
                        if code in _BUILTIN_CALLS:
                            self.bind_call(tool, frame)
                            return None
                        return disable
                try:
                    return function(code, offset)
                except BaseException as error:
                    hide_internal_frames(error)
                    raise
        else:
            # Events whose place can be turned off (those of `sys.monitoring`'s
            # "local events"); the others are only dropped.
            can_disable = event in (events.PY_RESUME, events.PY_YIELD, events.LINE,
                                    events.INSTRUCTION, events.JUMP, events.BRANCH,
                                    events.STOP_ITERATION)
            answer = disable if can_disable else None

            def filtered(code, *arguments):
                if (calls.guest_codes.get(id(code)) is not code
                        and internal(code, host_sys._getframe(1))):
                    return answer
                try:
                    return function(code, *arguments)
                except BaseException as error:
                    hide_internal_frames(error)
                    raise
        filtered.tool_function = tool_function
        filtered.registered = registered
        return filtered

    def internal(self, code, frame):
        """True if the event of `code`, reported in `frame` (the frame the host says is
        running), comes from gilless: a frame of its own, or one whose code is not the
        event's, which happens only while `hoststack.call_above` starts guest code.
        Guest code is remembered (by identity: a code object's hash reads its contents),
        so that its next events are told apart by one look-up."""
        if frame.f_code is not code or is_internal_frame(frame):
            return True
        caller = frame.f_back
        if frame.f_builtins is not world.builtins and caller is not None \
                and is_internal_frame(caller):
            # Code made with builtins of its own (`namedtuple`'s `exec`), run for gilless
            # (the host's `traceback` imported to show the program's error).
            return True
        guest = self.calls.guest_codes
        if len(guest) >= _GUEST_CODES_KEPT:
            guest.clear()
        guest[id(code)] = code
        return False

    def reported_call(self, tool, callable, code, arg0, c_profiler):
        """The host built-in the tool (a C profiler's callback where `c_profiler`) is told
        the guest called for a gilless stand-in whose frame runs `code`; the call is
        remembered, for its end."""
        shows = getattr(callable, "__gilless_shows__", None)
        shown = host_builtin_named_as(callable) if shows is None else shows(callable, arg0)
        if c_profiler:
            shown = frames.for_c_profiler(shown)
        self.calls.by_tool.setdefault(tool, []).append([code, None, shown, arg0])
        return shown

    def bind_call(self, tool, frame):
        """The frame of the built-in call reported last starts."""
        pending = self.calls.by_tool.get(tool)
        if pending and pending[-1][0] is frame.f_code and pending[-1][1] is None:
            pending[-1][1] = frame

    def end_call(self, tool, frame, event):
        """A built-in's frame ends: its reported call returns or raises, in the caller."""
        pending = self.calls.by_tool.get(tool)
        if not pending or pending[-1][0] is not frame.f_code or pending[-1][1] not in (
                None, frame):
            return
        _, _, shown, arg0 = pending.pop()
        function = self.callbacks.get((tool, event))
        caller = frame.f_back
        # (`get_events` does not show C_RETURN and C_RAISE: the CALL reported stands
        # for them.)
        if function is None or caller is None:
            return
        function(caller.f_code, caller.f_lasti, shown, arg0)


def _called_for_guest(callable):
    """What the guest called, where it called a gilless function's partial that calls
    it for the guest (`frames.CALLS_FOR_GUEST`); else `callable`."""
    function = callable.func
    if type(function) is _FUNCTION and function.__code__ in _CALLS_FOR_GUEST:
        return callable.args[-1]
    return callable


_state = _State()
# What `has_callbacks` reads, for code that tests it inline (`callbacks`, a false value
# while no tool has a callback).
state = _state
register_callback.__doc__ = getattr(getattr(host_sys, "monitoring", None), "register_callback",
                                    None).__doc__
register_callback.__module__ = "sys.monitoring"
# Its errors (a bad tool or event) reach the guest as the host function's would.
_REGISTER_CALLBACK = hides_frames(register_callback)
