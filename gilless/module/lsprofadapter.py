"""cProfile's profiler sees guest code only, on hosts where it is a C profile function.

Before 3.12, `_lsprof.Profiler.enable` installs a C function as the thread's
profile function, which the host calls for every frame, gilless's
included, with no Python code in between (from 3.12 cProfile is a
`sys.monitoring` tool, which `sysmonitoring` filters). The guest's
`_lsprof` gets a `Profiler` whose `enable` lets the host's install its
function and then moves it behind `systrace.CProfileFilter` (the filter of
the guest's `sys.setprofile`), which calls it through ctypes for the
guest's events and drops gilless's. Nothing between the two may be
reported to the profiler as a call: everything `enable` needs is made
before the host's `enable` runs, and the filter is installed through a
`partial`, which profilers do not count as a C function. Where the thread state's layout is unknown the
host's function stays, unfiltered.

What it costs: a Python call and a ctypes call per event, about what
`profile` costs (docs/invisible.md).
"""

import sys as host_sys
from _functools import partial
from types import MethodType

from gilless.base import hoststack
from gilless.base.frames import hides_frames
from gilless.module import systrace

# The thread state's words that hold the C profile function and its object (3.11).
_PROFILE_FUNCTION = 8
_PROFILE_OBJECT = 10


class _Method:
    """A method whose repr is the host method's it replaces."""

    __slots__ = ("function", "shown")

    def __init__(self, function, shown):
        self.function = function
        self.shown = shown

    def __get__(self, instance, owner=None):
        return self.function if instance is None else MethodType(self.function, instance)

    def __repr__(self):
        return repr(self.shown)


def _profile_function_type():
    """ctypes' `PYFUNCTYPE(c_int, py_object, py_object, c_int, py_object)`, the type of a
    C profile function, made with ctypes' C core as `ctypes` makes it: `_ctypes` is
    loaded since start-up (gilless.base.hoststack), where `import ctypes` now would
    resolve its own imports in a host module table that holds guest modules."""
    import _ctypes

    class py_object(_ctypes._SimpleCData):
        _type_ = "O"

    class c_int(_ctypes._SimpleCData):
        _type_ = "i"

    class ProfileFunction(_ctypes.CFuncPtr):
        _argtypes_ = (py_object, py_object, c_int, py_object)
        _restype_ = c_int
        _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_PYTHONAPI

    return ProfileFunction


def adapt(module):
    """Give the guest's `_lsprof` a `Profiler` whose C profile function is filtered."""
    if host_sys.version_info >= (3, 12) or hoststack.thread_state() is None:
        return
    host_profiler = module.Profiler
    host_enable = host_profiler.enable
    # The C function's type, made here: calling it makes no Python frame.
    prototype = _profile_function_type()

    def filtered_enable(self, subcalls=True, builtins=True):
        state = hoststack.thread_state()
        function = systrace.CProfileFunction(self)
        install = partial(host_sys.setprofile, systrace.CProfileFilter(function))
        me = id(self)
        host_enable(self, subcalls, builtins)
        if state is not None and state[0][state[1] + _PROFILE_OBJECT] == me:
            function.call = prototype(state[0][state[1] + _PROFILE_FUNCTION])
            install()

    filtered_enable.__name__ = "enable"
    filtered_enable.__qualname__ = "Profiler.enable"
    filtered_enable.__doc__ = host_enable.__doc__

    class Profiler(host_profiler):
        __doc__ = host_profiler.__doc__
        __slots__ = ()
        # A profiler that is on sees this call as CPython's, a C method's, which it
        # names by the type's attribute.
        enable = _Method(hides_frames(filtered_enable,
                                      lambda frame: host_enable.__get__(frame.f_locals["self"])),
                         host_enable)

    Profiler.__module__ = host_profiler.__module__
    Profiler.__qualname__ = host_profiler.__qualname__
    module.Profiler = Profiler
