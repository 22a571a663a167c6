"""Host C modules the guest may import as they are.

Guest objects are host objects, so a host C module such as `math`, `_sre`
or `_collections` works on them unchanged. The guest gets a fresh module
object with the host module's namespace, so neither side sees the other's
attribute assignments. A few host modules reach into the host interpreter's
own state (its `sys.modules`, its `warnings`, its `asyncio`); those are left
out, and the guest's standard library falls back to its pure-Python code.

The host module behind the copy holds one state, and some C modules fill it
with Python objects they import while they initialise: `_zoneinfo` keeps
`zoneinfo._common` (whose ZoneInfoNotFoundError it raises) and
`zoneinfo._tzpath` (whose search path it reads), `array` and `_decimal`
register their types with `collections.abc` and `numbers`. So a host C
module the host has not loaded yet is loaded in the guest's import context:
its C code's imports go through the guest's `__import__`, and the guest
modules they name are entered in the host's module table (where the C API
reads them back): for good where the host has no module of that name (see
`guest_import`), in place of the host's own until it has initialised. The
module's state then holds the guest's modules, as it would in CPython. The
trade-off: the one host module serves both sides, so host code that uses it
afterwards sees the guest's classes; and host code that first imports one of
those names afterwards (or on another thread during that window) gets the
guest's module. A C module the host had loaded before the guest world
started keeps the host's (gilless loads none of those that import Python
modules).

Third-party extension modules (numpy, msgpack's speed-ups) load the same
way: the guest's `_imp.create_dynamic` and `exec_dynamic` are the host's,
called in the guest's import context, so the host's loader (and, on a
free-threaded host, its check that the module may run without the GIL)
does what CPython does, and the module's imports are the guest's.

C code that looks a module up by name when it runs, rather than at
initialisation, reads the host's table: see `gilless.objspace.importing`
for the names shared that way and for the guest modules entered there when
C code asks for them, and ADAPTERS here for `time.tzset`, which writes the
zone into the host's `time`.
"""

import _imp as host_imp
import importlib
import importlib.machinery
import os
import sys
import sysconfig
import types

from gilless.base.state import world
from gilless.module.builtinfunction import BuiltinFunction

# Host modules that the guest must not share, and why (what an import of one
# says: the guest's standard library falls back to its pure-Python code).
_GILLESS_OWN = "gilless has its own"
_HOST_INTERNAL = "an internal module of the host interpreter"
_SUBINTERPRETERS = "its interpreters run the host's Python, not gilless"
NOT_SHARED = {
    **dict.fromkeys(("sys", "builtins", "_imp", "_thread", "_warnings"), _GILLESS_OWN),
    "_pickle": "it finds classes through the host's sys.modules",
    "_asyncio": "it imports the host's asyncio package",
    "_elementtree": "it imports the host's xml package",
    **dict.fromkeys(("_frozen_importlib", "_frozen_importlib_external"), _HOST_INTERNAL),
    **dict.fromkeys((
        "_xxsubinterpreters", "_xxinterpchannels", "_xxinterpqueues",
        "_interpreters", "_interpchannels", "_interpqueues"), _SUBINTERPRETERS),
}


def _extension_module_names():
    """The C modules of the host's standard library that are shared libraries."""
    directory = _lib_dynload()
    names = set()
    try:
        entries = os.listdir(directory)
    except OSError:
        return names
    for entry in entries:
        if entry.endswith(".so") or entry.endswith(".pyd"):
            names.add(entry.split(".", 1)[0])
    return names


def _lib_dynload():
    return os.path.join(host_platstdlib(), "lib-dynload")


def host_platstdlib():
    """The host's own platform library directory, also when gilless runs from a venv
    (whose sysconfig names the venv's, which has no lib-dynload)."""
    base = {"platbase": sys.base_exec_prefix, "installed_platbase": sys.base_exec_prefix}
    return sysconfig.get_path("platstdlib", vars=base)


_available = None


def available_names():
    global _available
    if _available is None:
        names = set(sys.builtin_module_names) | _extension_module_names()
        _available = frozenset(names - NOT_SHARED.keys())
    return _available


def copy_of_host_module(name):
    host_module = sys.modules.get(name)
    if host_module is None:
        host_module = _load_in_guest_context(name)
    guest_module = types.ModuleType(name, host_module.__doc__)
    namespace = dict(host_module.__dict__)
    for host_only in ("__spec__", "__loader__", "__file__", "__cached__", "__builtins__"):
        namespace.pop(host_only, None)
    guest_module.__dict__.update(namespace)
    adapter = ADAPTERS.get(name)
    if adapter is not None:
        adapter(guest_module)
    return guest_module


def _compile_as_importlibs_call(source):
    """`source` compiled where CPython runs a module's initialisation: the line of
    importlib's `_call_with_frames_removed` that calls it, which is where a
    warning the C code raises (a free-threaded host's "GIL has been enabled")
    is reported."""
    code = importlib._bootstrap._call_with_frames_removed.__code__
    line = max(line for _, _, line in code.co_lines() if line is not None)
    return compile("\n" * (line - 1) + source, code.co_filename, "exec")


# Host C code run by the code below, from a frame whose `__builtins__` are
# `_guest_context_builtins`: the C API's PyImport_Import takes `__import__`
# from the calling frame's builtins.
_CALL_IN_GUEST_CONTEXT = _compile_as_importlibs_call("result = function(argument)\n")


def call_in_guest_context(function, argument):
    """`function(argument)`, a host C function that may import (a module's
    initialisation), with the Python modules it imports taken from the guest's world."""
    shown = []
    namespace = {
        "__builtins__": _guest_context_builtins(shown),
        # Its frame is gilless's, out of the guest's tracebacks (gilless.base.frames).
        "__gilless_internal__": True,
        "function": function, "argument": argument,
    }
    try:
        exec(_CALL_IN_GUEST_CONTEXT, namespace)
    finally:
        # The host's own entries back, newest first (a name may be shown twice).
        for shown_name, previous in reversed(shown):
            sys.modules[shown_name] = previous
    return namespace["result"]


def _load_in_guest_context(name):
    """Import host C module `name` as the host's import system would, with the
    Python modules its C code imports taken from the guest's world."""
    if name in sys.builtin_module_names:
        spec = importlib.machinery.BuiltinImporter.find_spec(name)
        create, execute = host_imp.create_builtin, host_imp.exec_builtin
    else:
        spec = importlib.machinery.PathFinder.find_spec(name, [_lib_dynload()])
        create, execute = host_imp.create_dynamic, host_imp.exec_dynamic
    if spec is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    try:
        module = call_in_guest_context(create, spec)
        sys.modules[name] = module
        importlib._bootstrap._init_module_attrs(spec, module)
        call_in_guest_context(execute, module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return sys.modules[name]


def create_extension(spec):
    """The guest's `_imp.create_dynamic`: an extension module compiled for the host
    (guest objects are host objects, so it runs as it is), created by the host's
    loader in the guest's import context."""
    origin = spec.origin
    if os.path.dirname(os.path.abspath(origin)) == os.path.abspath(_lib_dynload()):
        reason = NOT_SHARED.get(spec.name)
        if reason is not None:
            # Not found, to code that falls back on ModuleNotFoundError, with the reason.
            raise ModuleNotFoundError(
                f"gilless does not load the host's {spec.name!r} module: {reason}",
                name=spec.name, path=origin)
    return call_in_guest_context(host_imp.create_dynamic, spec)


def exec_extension(module):
    """The guest's `_imp.exec_dynamic` (a multi-phase module's initialisation)."""
    return call_in_guest_context(host_imp.exec_dynamic, module)


def _guest_context_builtins(shown):
    """The guest's builtins, with an `__import__` that also enters the module it
    imported in the host's table: for good where the host has none of that name,
    else in place of the host's (recorded in `shown`, to be put back)."""
    guest_import = world.builtins["__import__"]

    def import_for_host_c_code(name, globals=None, locals=None, fromlist=(), level=0):
        result = guest_import(name, globals, locals, fromlist, level)
        if level == 0:
            module = world.modules.get(name)
            if module is not None:
                previous = sys.modules.setdefault(name, module)
                if previous is not module:
                    shown.append((name, previous))
                    sys.modules[name] = module
        return result

    return {**world.builtins, "__import__": import_for_host_c_code}


# What `time.tzset` recomputes: it writes them into the module that the host's
# table names `time`, which is the host's.
_TIME_ZONE_ATTRIBUTES = ("tzname", "timezone", "altzone", "daylight")


def _adapt_time(module):
    """`time.tzset` updates the guest's `time` as CPython's updates its own."""
    tzset = getattr(module, "tzset", None)
    if tzset is None:
        return
    host_time = sys.modules["time"]

    def guest_tzset():
        tzset()
        for attribute in _TIME_ZONE_ATTRIBUTES:
            if hasattr(host_time, attribute):
                setattr(module, attribute, getattr(host_time, attribute))

    module.tzset = BuiltinFunction(guest_tzset, shown=tzset)


def _adapt_lsprof(module):
    # Imported with the module: only profiled programs pay for it.
    from gilless.module import lsprofadapter
    lsprofadapter.adapt(module)


# Host module name -> what makes its guest copy behave as in CPython.
ADAPTERS = {"time": _adapt_time, "_lsprof": _adapt_lsprof}
