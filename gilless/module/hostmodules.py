"""Host C modules the guest may import as they are.

Guest objects are host objects, so a host C module such as `math`, `_sre`
or `_collections` works on them unchanged. Where gilless uses the module
too (the host loaded it first) or changes the guest's (ADAPTERS, an
execution mode's patches), the guest gets a fresh module object with the
host module's namespace, so neither side sees the other's attribute
assignments; otherwise the module itself (`is_the_guests`), whose C code
may write into its own namespace where the guest reads (`_curses`). Left
out (NOT_SHARED) are the modules gilless has its own of, the host's import
system and its subinterpreters.

The host module behind the copy holds one state, and some C modules fill it
with Python objects they import while they initialise: `_zoneinfo` keeps
`zoneinfo._common` (whose ZoneInfoNotFoundError it raises) and
`zoneinfo._tzpath` (whose search path it reads), `array` and `_decimal`
register their types with `collections.abc` and `numbers`, `_pickle`
keeps `copyreg`'s tables, `_asyncio` asyncio's event loop policy, future
and exception classes, `_elementtree` `xml.etree.ElementPath`. So a host C
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
modules), except that those of NEEDS_GUEST_STATE are then not shared.

Third-party extension modules (numpy, msgpack's speed-ups) load the same
way: the guest's `_imp.create_dynamic` and `exec_dynamic` are the host's,
called in the guest's import context, so the host's loader (and, on a
free-threaded host, its check that the module may run without the GIL)
does what CPython does, and the module's imports are the guest's.

C code that looks a module up by name when it runs, rather than at
initialisation, reads the host's table: see `gilless.objspace.importing`
for the names shared that way and for the guest modules entered there when
C code asks for them; `runs_with_guest_modules` below for the calls during
which the guest's modules stand in for the host's own there (the pickler's,
which finds classes by module name: `__main__`, and the standard library
modules gilless itself has loaded, are also the host's); and ADAPTERS here
for `time.tzset`, which writes the zone into the host's `time`, and for the
codec registry, which is the host interpreter's (`_adapt_codecs`).

Why the host's table rather than a second copy of a C module: a second
instance (possible from 3.12 for a module of multi-phase initialisation)
would have its own state, but its C code would still read the one host
table when it runs, and a single-phase module (3.11's `_pickle`) has one
instance per process. Measured on CPython 3.11, `pickle.dumps` of a small
list takes 1.6 us under gilless with the C pickler, 0.66 us under CPython,
12 us with the pure-Python pickler the guest used before.
"""

import _frozen_importlib as host_bootstrap
import _frozen_importlib_external as host_bootstrap_external
import _imp as host_imp
import _thread
import gc
import os
import sys
from _weakref import proxy as weak_proxy

from gilless.base import startimage
from gilless.base.hoststack import call_above
from gilless.base.frames import (GILLESS_DIR, HOST_BUILTINS, hides_frames, is_gilless_import,
                                 is_internal, without_internal_frames)
from gilless.base.hostbuild import LIB_DYNLOAD, STDLIB, STDLIB_ZIP
from gilless.base.hosttypes import ModuleType
from gilless.base.state import world
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.systrace import call_untraced, guest_frame_from

# Host modules that the guest must not share, and why (what an import of one
# says: the guest's standard library falls back to its pure-Python code).
_GILLESS_OWN = "gilless has its own"
_HOST_INTERNAL = "an internal module of the host interpreter"
_SUBINTERPRETERS = "its interpreters run the host's Python, not gilless"
NOT_SHARED = {
    **dict.fromkeys(("sys", "builtins", "_imp", "_thread"), _GILLESS_OWN),
    **dict.fromkeys(("_frozen_importlib", "_frozen_importlib_external"), _HOST_INTERNAL),
    **dict.fromkeys((
        "_xxsubinterpreters", "_xxinterpchannels", "_xxinterpqueues",
        "_interpreters", "_interpchannels", "_interpqueues"), _SUBINTERPRETERS),
}


def _extension_module_names():
    """The C modules of the host's standard library that are shared libraries."""
    directory = LIB_DYNLOAD
    names = set()
    try:
        entries = os.listdir(directory)
    except OSError:
        return names
    for entry in entries:
        if entry.endswith(".so") or entry.endswith(".pyd"):
            names.add(entry.split(".", 1)[0])
    return names


_available = None


def available_names():
    global _available
    if _available is None:
        names = set(sys.builtin_module_names) | _extension_module_names()
        _available = frozenset(names - NOT_SHARED.keys())
    return _available


# Host C modules whose state holds the Python objects they import as they
# initialise, and which the guest must therefore not share if the host loaded
# them first (gilless's own code imports none of them): what their state holds.
NEEDS_GUEST_STATE = {
    "_pickle": "copyreg's dispatch tables",
    "_asyncio": "asyncio package",
    "_elementtree": "xml package",
}


def host_module_and_copy(name):
    """The host's module `name` (loaded in the guest's context if the host has none
    yet) and the guest's copy of it, adapted (ADAPTERS)."""
    host_module = sys.modules.get(name)
    if host_module is None:
        host_module = _load_in_guest_context(name)
    elif (name in NEEDS_GUEST_STATE and name not in _loaded_in_guest_context
          and name not in _loading_in_guest_context):
        # (One loading imports itself back through the guest's package, as
        # `_asyncio` does through asyncio.futures: it gets the module as it is,
        # as it would from CPython's sys.modules.)
        raise ModuleNotFoundError(
            f"gilless does not load the host's {name!r} module: the host loaded it "
            f"before the guest, with the host's {NEEDS_GUEST_STATE[name]}", name=name)
    guest_module = ModuleType(name, host_module.__doc__)
    namespace = dict(host_module.__dict__)
    for host_only in _HOST_ONLY:
        namespace.pop(host_only, None)
    guest_module.__dict__.update(namespace)
    adapter = ADAPTERS.get(name)
    if adapter is not None:
        adapter(guest_module)
    return host_module, guest_module


def is_the_guests(name, host_module, guest_module):
    """Whether the guest may have `host_module` itself rather than its copy: the host
    module was loaded for the guest (gilless itself does not use it) and nothing of
    gilless's changed the copy (an adapter, a mode's patches). Its C code then
    writes where the guest reads: `_curses` sets `LINES`, `COLS` and the `ACS_`
    characters in its own module's namespace as the screen starts, and `curses`
    copies them from there."""
    if name not in _loaded_in_guest_context:
        return False
    copied, original = ({key: value for key, value in module.__dict__.items()
                         if key not in _HOST_ONLY}
                        for module in (guest_module, host_module))
    return copied.keys() == original.keys() and all(
        copied[key] is value for key, value in original.items())


# What a module's copy leaves out: the guest's import system sets its own.
_HOST_ONLY = ("__spec__", "__loader__", "__file__", "__cached__", "__builtins__")


def _compile_as_importlibs_call(source):
    """`source` compiled where CPython runs a module's initialisation: the line of
    importlib's `_call_with_frames_removed` that calls it, which is where a
    warning the C code raises (a free-threaded host's "GIL has been enabled")
    is reported, and under its name, which a tracer or profiler sees call the C
    function (`_imp.create_dynamic`) as in CPython."""
    code = host_bootstrap._call_with_frames_removed.__code__
    line = max(line for _, _, line in code.co_lines() if line is not None)
    compiled = startimage.compiled("\n" * (line - 1) + source, code.co_filename)
    return compiled.replace(co_name=code.co_name, co_qualname=code.co_qualname)


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
        # Its frame follows the guest's that asked (importlib's), as the frame of
        # CPython's `_call_with_frames_removed` does (`profile` checks each caller).
        call_above(guest_frame_from(sys._getframe(1)), exec, _CALL_IN_GUEST_CONTEXT,
                   namespace)
    finally:
        # The host's own entries back, newest first (a name may be shown twice).
        for shown_name, previous in reversed(shown):
            sys.modules[shown_name] = previous
    return namespace["result"]


def _load_in_guest_context(name):
    """Import host C module `name` as the host's import system would, with the
    Python modules its C code imports taken from the guest's world."""
    if name in sys.builtin_module_names:
        spec = host_bootstrap.BuiltinImporter.find_spec(name)
        create, execute = host_imp.create_builtin, host_imp.exec_builtin
    else:
        spec = host_bootstrap_external.PathFinder.find_spec(name, [LIB_DYNLOAD])
        create, execute = host_imp.create_dynamic, host_imp.exec_dynamic
    if spec is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    _loading_in_guest_context.add(name)
    try:
        module = call_in_guest_context(create, spec)
        sys.modules[name] = module
        host_bootstrap._init_module_attrs(spec, module)
        call_in_guest_context(execute, module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        _loading_in_guest_context.discard(name)
    _loaded_in_guest_context.add(name)
    return sys.modules[name]


_loading_in_guest_context = set()
_loaded_in_guest_context = set()


def create_extension(spec):
    """The guest's `_imp.create_dynamic`: an extension module compiled for the host
    (guest objects are host objects, so it runs as it is), created by the host's
    loader in the guest's import context."""
    origin = spec.origin
    if os.path.dirname(os.path.abspath(origin)) == os.path.abspath(LIB_DYNLOAD):
        reason = NOT_SHARED.get(spec.name)
        if reason is not None:
            # Not found, to code that falls back on ModuleNotFoundError, with the reason.
            raise ModuleNotFoundError(
                f"gilless does not load the host's {spec.name!r} module: {reason}",
                name=spec.name, path=origin)
    return call_in_guest_context(host_imp.create_dynamic, spec)


def exec_extension(module):
    """The guest's `_imp.exec_dynamic` (a multi-phase module's initialisation, which
    importlib asks for after every extension module's creation)."""
    result = call_in_guest_context(host_imp.exec_dynamic, module)
    if getattr(module, "__name__", None) in EXTENSION_ADAPTERS:
        EXTENSION_ADAPTERS[module.__name__](module)
    return result


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


def _adapt_faulthandler(module):
    """A fatal error's report lists the extension modules in the host's module table
    that are not in `sys.stdlib_module_names`, which the host reads from its own `sys`
    (in a signal handler: no Python code can run then). `enable` copies the guest's
    `stdlib_module_names` there first (a value that is no frozenset, as for a guest
    that deleted it, excludes nothing, as in CPython: the host's is then empty)."""
    enable = module.enable

    def guest_enable(*args, **kwargs):
        names = world.sys.get("stdlib_module_names")
        if not isinstance(names, frozenset):
            names = frozenset()
        if sys.stdlib_module_names is not names:
            sys.stdlib_module_names = names
        return enable(*args, **kwargs)

    guest_enable.__name__ = "enable"
    module.enable = BuiltinFunction(guest_enable, shown=enable)


def _adapt_lsprof(module):
    # Imported with the module: only profiled programs pay for it.
    from gilless.module import lsprofadapter
    lsprofadapter.adapt(module)


# Guest modules shown to host C code in place of the host's own.
#
# C code that finds a class by its module's name at run time (the pickler's
# save_global and find_class) calls PyImport_Import, which runs the calling
# frame's `__import__` (the guest's, see gilless.objspace.importing) and then
# reads the host's module table. For a name the host has no module of, the
# guest's is entered there for good; for a name the host has its own module of
# (`__main__`, and the standard library modules gilless itself imported:
# `collections`, `pathlib`, `enum`...), or one in a package the host has its
# own of (`encodings.base64_codec`, which the host's codec search would
# otherwise import from there), the guest's is shown there only while a call
# that needs it runs: `runs_with_guest_modules` marks such calls (a scope per
# call, on the calling thread), and `enter_for_host_c_code` shows a guest
# module for the rest of the scope that asked for it. Scopes on several
# threads may show one name at once: the host's module (or its absence) comes
# back when the last of them ends (a count under a lock, so that a scope never
# finds the name shown by another that is about to end). While a name is
# shown, host code that imports it gets the guest's module, on any thread (as
# during a host module's initialisation in the guest's context above);
# gilless's own code imports its modules when it starts. The cost is taken
# only by the marked calls (a thread-local read and write) and by the imports
# of shown names; guest code's own imports and the default mode's hot paths
# are unchanged.
#
# The host's `sys` is never replaced by the guest's, even for a moment (a host
# thread importing it would get the guest's `sys.modules` and `sys.path`): a
# scope shows `_SYS_FOR_ONE_LOOKUP` in its place, which is the host's `sys` to
# every reader but the first attribute lookup of the thread whose C code
# imported it, the pickler's `sys.getrecursionlimit` (a Python function of
# gilless's, pickled by reference as CPython's C function is).
#
# An object whose `__module__` is None (or missing) is looked for by walking
# the host's `sys.modules` (the pickler's whichmodule reads the host
# interpreter's `sys`, in its order). The walk's first entry is
# `_WHICHMODULE_START`, whose attribute lookup, within a scope, shows the
# guest's modules that hold that name for the rest of the scope, where the
# walk goes on to find them: in place of the host's modules of their names
# (which come after it), or added at the end.

_scopes = _thread._local()
_shown_lock = _thread.allocate_lock()
# Name -> [the host's module (or _ABSENT), the guest's module shown instead, scopes
# showing it].
_shown = {}
_ABSENT = object()


def enter_for_host_c_code(name, module, for_good=True):
    """Guest `module`, imported for host C code by PyImport_Import, entered in the
    host's table: for good where the host has no module `name` (nor its own
    package of it), else in place of the host's until the calling thread's scope
    ends (not at all outside one). `for_good=False` enters it only until the
    scope ends in any case."""
    names = getattr(_scopes, "names", None)
    if names is None:
        if name != "sys":
            sys.modules.setdefault(name, module)
        return
    if name == "sys":
        _scopes.sys_lookup = module
        module = _SYS_FOR_ONE_LOOKUP
    with _shown_lock:
        entry = _shown.get(name)
        if entry is None:
            # (None too: an import the host blocks, put back afterwards.)
            host_module = sys.modules.get(name, _ABSENT)
            if host_module is module:
                return
            if host_module is _ABSENT and for_good and not _in_host_package(name):
                sys.modules[name] = module
                return
            _shown[name] = [host_module, module, 1]
            sys.modules[name] = module
        else:
            entry[2] += 1
    names.append(name)


# The standard library's top-level names, as the host has them before a guest's
# faulthandler copies the guest's there.
_STANDARD_LIBRARY = sys.stdlib_module_names
# Name -> the weak proxy of the program's module that `enter_program_module` entered.
_entered = {}


def enter_program_module(name, module):
    """A module the program loaded, shown in the host's table too, where C code that
    looks a module up by name (PyImport_GetModule: time-machine's patched clocks find
    their own Python package so) finds it in CPython: where the host has no module
    `name` nor its own package of it, or only the program's earlier one (a reload, or
    an import again after the program removed it). Not the standard library's
    modules, which gilless itself may import later and must not get the guest's.

    Shown as a weak proxy (C code reads its attributes, the module's; one that needs a
    module object itself gets an error), which leaves with the module: a module the
    program takes out of its table (jinja2's templates' modules) is collected as in
    CPython, and what it holds with it."""
    if name.partition(".")[0] in _STANDARD_LIBRARY:
        return
    current = sys.modules.get(name, _ABSENT)
    entered = _entered.get(name)
    if current is entered is not None:
        try:
            if current.__dict__ is vars(module):
                return
        except (ReferenceError, TypeError, AttributeError):
            pass
    elif current is not _ABSENT or _in_host_package(name):
        return
    try:
        # (What the callback calls is bound now: a module may die as the host tears this
        # one down, its names set to None.)
        shown = weak_proxy(module, lambda shown, withdraw=_withdraw: withdraw(name, shown))
    except TypeError:
        # (What a program put in its table in the module's place takes no weak reference.)
        return
    _entered[name] = shown
    sys.modules[name] = shown


def _withdraw(name, shown, entered=_entered, modules=sys.modules):
    if entered.get(name) is shown:
        del entered[name]
    if modules.get(name) is shown:
        del modules[name]


def withdraw_program_module(name):
    """Take the program's module `name` out of the host's table, if it was entered."""
    shown = _entered.get(name)
    if shown is not None:
        _withdraw(name, shown)


def withdraw_program_modules():
    """Take the modules `enter_program_module` entered out of the host's table (as
    the program's finalization begins)."""
    for name, shown in list(_entered.items()):
        _withdraw(name, shown)


def _in_host_package(name):
    """Whether a package that `name` is in is the host's own module."""
    parent = name.rpartition(".")[0]
    while parent:
        host_package = sys.modules.get(parent)
        if (host_package is not None and host_package is not world.modules.get(parent)
                and host_package is not _entered.get(parent)):
            return True
        parent = parent.rpartition(".")[0]
    return False


def _hide(names):
    with _shown_lock:
        for name in names:
            entry = _shown[name]
            entry[2] -= 1
            if entry[2] == 0:
                del _shown[name]
                host_module, guest_module, _ = entry
                if sys.modules.get(name) is guest_module:
                    if host_module is _ABSENT:
                        del sys.modules[name]
                    else:
                        sys.modules[name] = host_module
    if "sys" in names:
        _scopes.sys_lookup = None


class _SysForOneLookup(ModuleType):
    """The host's `sys` as its module table shows it while a scope's C code imports
    `sys`: every attribute is the host `sys`'s (also to host code on other threads
    that imports `sys` then), except that the first lookup by the thread whose
    scope imported it reads the guest's `sys`."""

    def __getattribute__(self, name):
        guest_sys = _scopes.__dict__.get("sys_lookup")
        if guest_sys is not None:
            _scopes.sys_lookup = None
            return getattr(guest_sys, name)
        return getattr(sys, name)

    def __setattr__(self, name, value):
        setattr(sys, name, value)

    def __delattr__(self, name):
        delattr(sys, name)


_SYS_FOR_ONE_LOOKUP = _SysForOneLookup("sys")


def _whichmodule_lookup(name):
    """The module `__getattr__` of `_WHICHMODULE_START`."""
    if getattr(_scopes, "names", None) is not None:
        for module_name, module in list(world.modules.items()):
            if module is None or module_name in ("__main__", "sys"):
                continue
            namespace = getattr(module, "__dict__", None)
            if (isinstance(module, ModuleType) and type(namespace) is dict
                    and name not in namespace and "__getattr__" not in namespace):
                continue
            if sys.modules.get(module_name) is not module:
                enter_for_host_c_code(module_name, module, for_good=False)
    raise AttributeError(name)


_WHICHMODULE_START = ModuleType("_gilless_guest_modules",
                                      "The guest's modules, to the pickler's whichmodule.")
_WHICHMODULE_START.__getattr__ = _whichmodule_lookup


def show_guest_modules_to_whichmodule():
    """Put `_WHICHMODULE_START` first in the host's module table (once, before guest
    code runs: the table is emptied and filled again, in its order)."""
    modules = sys.modules
    if next(iter(modules), None) == _WHICHMODULE_START.__name__:
        return
    entries = [(name, module) for name, module in modules.items()
               if module is not _WHICHMODULE_START]
    modules.clear()
    modules[_WHICHMODULE_START.__name__] = _WHICHMODULE_START
    modules.update(entries)


# While a tracer, a profiler or a monitoring tool may be told of it, the C function
# runs above the guest's frame that called it (the first below with the guest's
# builtins), as if called from there, as in CPython: the Python code it calls
# (`__reduce__`, `persistent_id`) has that frame as its `f_back`, and
# PyImport_Import takes `__import__` from the `__builtins__` of that frame's
# globals. Otherwise (1.4 us a call less, on 3.11) from here: PyImport_Import then
# reads this function's globals, whose `__builtins__` are the guest's, and that code
# sees the frames of gilless's call in its stack.
_WITH_GUEST_MODULES = """
def {name}({parameters}):
    outer = _getattr(_scopes, "names", None)
    names = _scopes.names = []
    try:
        if _gettrace() is None and _getprofile() is None and not _has_callbacks():
            return _function({arguments})
        return _call_above(_guest_frame_from(_getframe(1)), _function, {arguments})
    finally:
        _scopes.names = outer
        if names:
            _hide(names)
"""


def runs_with_guest_modules(function, parameters="*args, **kwargs"):
    """`function` (a host C function or method), with the modules its C code finds
    by name at run time taken from the guest's world (see above), called by guest
    code. Its frame is gilless's: the caller hides it (`hides_frames`,
    `BuiltinFunction`)."""
    arguments = ", ".join(name for name in parameters.split(", ") if name != "/")
    source = _WITH_GUEST_MODULES.format(name=function.__name__, parameters=parameters,
                                        arguments=arguments)
    namespace = {"__builtins__": HOST_BUILTINS, "_getattr": getattr, "_scopes": _scopes,
                 "_hide": _hide, "_function": function, "_getframe": sys._getframe,
                 "_guest_frame_from": guest_frame_from, "_call_above": call_above,
                 "_gettrace": sys.gettrace, "_getprofile": sys.getprofile,
                 "_has_callbacks": _monitoring_callbacks()}
    exec(compile(source, __file__, "exec"), namespace)
    # The function's frame has the host's builtins, as gilless's code has (tracers
    # see none of it); C code's imports read the guest's from its globals.
    namespace["__builtins__"] = world.builtins
    return namespace[function.__name__]


def _monitoring_callbacks():
    """Whether a `sys.monitoring` tool has callbacks, as a function (hosts from 3.12)."""
    if not hasattr(sys, "monitoring"):
        return lambda: False
    from gilless.module import sysmonitoring
    return sysmonitoring.has_callbacks


def _guest_subclass(host_type, method_names):
    """`host_type` as the guest sees it: a subclass of the same name whose methods
    `method_names` run with the guest's modules. Instances are the host type's, and
    CPython's C code calls such a method by name on its instance (the unpickler's
    `find_class`), so a guest subclass that overrides one sees it called. What
    the guest can tell from CPython: the host type is the class's base (in its
    `__mro__`), and the methods are Python functions with the C methods'
    signatures (`<function Pickler.dump ...>`, not `<method 'dump' ...>`)."""
    namespace = {"__slots__": (), "__module__": host_type.__module__,
                 "__qualname__": host_type.__qualname__, "__doc__": host_type.__doc__}
    for name in method_names:
        host_method = host_type.__dict__[name]
        # The C method's parameters: "($self, obj, /)" -> "self, obj, /".
        parameters = host_method.__text_signature__[1:-1].replace("$", "")
        method = hides_frames(runs_with_guest_modules(host_method, parameters))
        method.__qualname__ = host_method.__qualname__
        namespace[name] = method
    return type(host_type)(host_type.__name__, (host_type,), namespace)


def _adapt_pickle(module):
    """The C pickler finds classes by module name at run time (pickling a class or
    function by reference, and `find_class`): in the guest's modules."""
    for name in ("dump", "dumps", "load", "loads"):
        function = getattr(module, name)
        setattr(module, name, BuiltinFunction(runs_with_guest_modules(function), shown=function))
    module.Pickler = _guest_subclass(module.Pickler, ("dump",))
    module.Unpickler = _guest_subclass(module.Unpickler, ("find_class",))


def _normalize_encoding(encoding):
    """CPython's normalisation of a name for the codec search functions: lower
    case, each run of characters other than ASCII letters, digits and dots made
    one underscore, none at either end ("UTF-8" -> "utf_8")."""
    # (Encoded first for the error CPython gives for a name it cannot encode.)
    encoding.encode()
    normalized = []
    in_separator = False
    for character in encoding:
        if character == "." or (character.isascii() and character.isalnum()):
            if in_separator and normalized:
                normalized.append("_")
            in_separator = False
            normalized.append(character)
        else:
            in_separator = True
    return "".join(normalized).lower()


_searching = _thread._local()


class _StandardCodecs:
    """The guest's `encodings.search_function` in the host's codec registry, first, where
    C code (`open`, `str.encode`, `bytes.decode`) finds it, as in CPython: the codecs it
    finds are the guest's, whose Python code (an incremental decoder's `decode`, the
    import of `encodings.latin_1`) tracers and profilers see.

    The host's `encodings` registered first as the host started, and its codecs were
    in the registry's cache; `install_standard_codecs` puts this in its place (which
    empties the cache) and the host's after it, for gilless's own code. Nothing is
    loaded then: the guest's `encodings` is imported at the first look-up after the
    start-up that needs it (`load_standard_encodings`), unseen, as CPython imported it
    as it started. (During the start-up the host's codecs answer, for the guest's `site`
    reading `.pth` files, and leave the cache as it ends: `end_of_start_up`. The first
    text read then costs about 1 ms more on 3.11, 2 ms on 3.13t, which a program that
    uses no text does not pay.) The names looked up until then CPython had looked up
    as it started too, so their searches are unseen too; any other name's runs above
    the guest frame that asked."""

    __slots__ = ("function", "claiming", "loaded", "seen_found", "starting", "seen", "host",
                 "importer", "finders")

    def __init__(self, seen):
        # The guest's `encodings.search_function` once registered; None before, or after
        # the guest took it out.
        self.function = None
        # True while the guest's `encodings` loads: its `codecs.register` comes here.
        self.claiming = False
        self.loaded = False
        # Whether the codecs of the names in `seen` were found (`load_standard_codecs_now`).
        self.seen_found = False
        self.starting = True
        # The names CPython would have in its registry's cache when the program starts.
        self.seen = seen
        # The host's search function, for gilless (`_HostCodecsForGilless`).
        self.host = None
        # The guest's `__import__` and `sys.meta_path`'s finders as its start-up ends
        # (`as_at_start_up`).
        self.importer = None
        self.finders = None

    def __call__(self, name):
        if getattr(_searching, "host_only", False):
            return None
        caller = _caller()
        function = self.function
        if self.starting:
            self.seen.add(name)
        if function is None:
            if self.starting or caller is None or is_internal(caller):
                # (gilless's own look-ups do not load the guest's codecs: the host's
                # answer them.)
                return None
            # (Once loaded, no function means the guest took it out.)
            load_standard_encodings()
            function = self.function
            if function is None:
                return None
        if caller is None or name in self.seen or is_internal(caller):
            return as_at_start_up(function, name)
        try:
            return call_above(caller, function, name)
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise


class _HostCodecsForGilless:
    """The host's `encodings.search_function`, after the guest's search functions in the
    host's registry: it answers gilless's own code (and the guest's `lookup` of a name
    none of the guest's functions knows), never the guest's C calls, which find no
    codec where the guest took its `encodings` out, as in CPython."""

    __slots__ = ("function",)

    def __init__(self, function):
        self.function = function

    def __call__(self, name):
        caller = _caller()
        if (getattr(_searching, "host_only", False) or caller is None or is_internal(caller)
                or _standard_codecs.starting):
            return self.function(name)
        return None


def _caller():
    """The frame that called the C function that asks the codec registry; None where C
    code asked with no Python frame running (as the interpreter finalizes)."""
    try:
        return sys._getframe(2)
    except ValueError:
        return None


# The guest's standard codecs in the host's registry (`install_standard_codecs`).
_standard_codecs = None


def install_standard_codecs():
    """Put the guest's standard codecs first in the host's codec registry, to be loaded
    when C code first looks one up (`_StandardCodecs`)."""
    global _standard_codecs
    host_encodings = sys.modules.get("encodings")
    host_search = getattr(host_encodings, "search_function", None)
    if host_search is None or _standard_codecs is not None:
        return
    import _codecs
    seen = getattr(host_encodings, "_cache", {})
    _standard_codecs = _StandardCodecs(
        {name for name, found in list(seen.items()) if found is not None})
    _codecs.unregister(host_search)
    _codecs.register(_standard_codecs)
    _standard_codecs.host = _HostCodecsForGilless(host_search)
    _codecs.register(_standard_codecs.host)
    if hasattr(sys, "monitoring"):
        from gilless.module import sysmonitoring
        sysmonitoring.BEFORE_FIRST_TOOL.append(load_standard_codecs_now)


def end_of_start_up():
    """The guest's start-up (its `site`) is over: what the host's codecs answered during
    it leaves the registry's cache, for the guest's to answer."""
    standard = _standard_codecs
    if standard is None or not standard.starting:
        return
    standard.starting = False
    standard.importer = world.builtins.get("__import__")
    meta_path = world.sys.get("meta_path")
    standard.finders = list(meta_path) if type(meta_path) is list else None
    import _codecs
    # (Taking a search function out empties the cache; the host's goes back last, after
    # any the guest's `site` registered.)
    _codecs.unregister(standard.host)
    _codecs.register(standard.host)


# The modules CPython imports as it starts that gilless's start-up does without: the
# standard codecs (loaded at their first look-up, `_StandardCodecs`) and `_signal`.
STARTED_WITH = frozenset({"encodings", "codecs", "_codecs", "_signal"})


def load_as_started(name):
    """The guest's module `name` (of `STARTED_WITH`), imported now, unseen as where
    CPython had it already: its body's imports and events are not the program's."""
    if name == "encodings":
        return load_standard_encodings()
    # (Top-level names: importlib asks no importer for a parent package.)
    return as_at_start_up(world.find_and_load, name, None)


def load_standard_codecs_now():
    """Load the guest's standard codecs, with those of the names CPython had looked up as
    it started, and the other modules it had imported (`STARTED_WITH`), if not yet done:
    before a `sys.monitoring` tool is first told of events, which `call_untraced` does
    not keep from it."""
    standard = _standard_codecs
    if standard is None or standard.seen_found:
        return
    standard.seen_found = True
    # (The guest's `encodings` may be loaded already, by a look-up of another name: as
    # `-m cProfile` starts, which registers its callbacks only then.)
    load_standard_encodings()
    for name in STARTED_WITH:
        if name not in world.modules:
            load_as_started(name)
    import _codecs
    for name in list(standard.seen):
        try:
            _codecs.lookup(name)
        except LookupError:
            pass


def load_standard_encodings():
    """The guest's `encodings`, loaded unseen by tracers if it was not: the standard
    library's package, as CPython imports it as it starts, before the program's
    directory is on `sys.path` (a program's own `encodings.py` is not imported)."""
    standard = _standard_codecs
    if standard is None:
        return as_at_start_up(_load_encodings)
    # (Through importlib's lock even where the module is in `sys.modules`: another
    # thread may be running its body.)
    standard.loaded = True
    standard.claiming = True
    try:
        return as_at_start_up(_load_encodings)
    finally:
        standard.claiming = False


def as_at_start_up(function, *args):
    """`function(*args)`, work that CPython did as it started (the standard codecs,
    `STARTED_WITH`): unseen by tracers, and with gilless's own `__import__` in the
    guest's builtins, and `sys.meta_path`'s finders of the start-up's end, where the
    program has put its own there since (CPython's start-up imported these modules
    before the program ran; an `__import__` or a finder of the program's that counts
    or refuses imports would see them). The guest's builtins and `sys` are the
    program's, so another thread that reads `__import__` or `sys.meta_path`, or
    imports, meanwhile (once, for a millisecond) finds gilless's too; one the program
    sets meanwhile is kept."""
    builtins = world.builtins
    program_import = builtins.get("__import__")
    standard = _standard_codecs
    importer = None if standard is None else standard.importer
    if importer is not None and is_gilless_import(program_import):
        importer = None
    finders = None if standard is None else standard.finders
    meta_path = world.sys.get("meta_path")
    program_finders = None
    if (finders is not None and type(meta_path) is list
            and not _same_items(meta_path, finders)):
        program_finders = list(meta_path)
    if importer is None and program_finders is None:
        return call_untraced(function, *args)
    if importer is not None:
        builtins["__import__"] = importer
    if program_finders is not None:
        meta_path[:] = finders
    try:
        return call_untraced(function, *args)
    finally:
        if importer is not None and builtins.get("__import__") is importer:
            builtins["__import__"] = program_import
        if program_finders is not None and _same_items(meta_path, finders):
            meta_path[:] = program_finders


def _same_items(first, second):
    """Whether two lists hold the same objects (not asking them whether they are equal,
    which would run the program's code)."""
    return len(first) == len(second) and all(a is b for a, b in zip(first, second))


def _load_encodings():
    modules = world.modules
    bootstrap = modules.get("_frozen_importlib")
    external = modules.get("_frozen_importlib_external")
    finder = getattr(external, "PathFinder", None)
    if finder is None or not hasattr(bootstrap, "_ModuleLockManager"):
        # (A top-level package: importlib's parent import is never called.)
        return world.find_and_load("encodings", None)
    # Under importlib's lock of the module, a guest lock: a thread that looks a codec up
    # meanwhile waits for the one loading it, as for an import.
    with bootstrap._ModuleLockManager("encodings"):
        module = modules.get("encodings")
        if module is not None:
            return module
        spec = finder.find_spec("encodings", [path for path in (STDLIB_ZIP, STDLIB) if path])
        if spec is None:
            return world.find_and_load("encodings", None)
        return bootstrap._load_unlocked(spec)


class _HostCodecSearch:
    """A guest's codec search function in the host's registry, where C code (`str.encode`,
    `open`) finds it: called above the guest frame that asked (C code has none), and
    not by the guest's `lookup`, which has asked it already (`_searching.host_only`)."""

    __slots__ = ("function",)

    def __init__(self, function):
        self.function = function

    def __call__(self, name):
        if getattr(_searching, "host_only", False):
            return None
        try:
            return call_above(sys._getframe(1), self.function, name)
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise


def _adapt_codecs(module):
    """The guest's codec registry, for `codecs.lookup` and what calls it.

    The host's registry is one per interpreter, and its first search function
    is the host's `encodings` package, so what it finds are the host's codec
    objects (`codecs.lookup("utf-8")` was not an instance of the guest's
    `codecs.CodecInfo`). The guest's `lookup` asks the guest's search
    functions, in the order the guest registered them (its `encodings`
    package first, imported on first use as CPython's registry does), and
    keeps its own cache; a name none of them knows is the host's to look up.
    Search functions are also registered with the host's registry, where C
    code (`str.encode`, `open`) finds the guest's own codecs (behind a
    `_HostCodecSearch`: a name none knows is asked of each once). Measured on
    CPython 3.11 (docs/benchmarks.md): `codecs.lookup` of a name seen before
    takes 1.6 us, 0.4 us in CPython, 1.9 us through the host's registry."""
    host_lookup, host_register, host_unregister = module.lookup, module.register, module.unregister
    host_forget = getattr(module, "_forget_codec", None)
    # The guest's search functions, in the order registered, each as the object that
    # stands for it in the host's registry.
    search_functions = []
    cache = {}
    # The same, by the name as given: the lookup of a name seen before skips
    # the normalisation.
    by_name = {}
    started = []

    def start():
        # CPython's _PyCodecRegistry_Init: the `encodings` package registers first.
        # (Its own `register` call comes back here, and finds it initialising.)
        if not started:
            if world.modules.get("encodings") is None:
                load_standard_encodings()
            started.append(True)

    def register(search_function, /):
        start()
        if not callable(search_function):
            host_register(search_function)  # CPython's TypeError
        standard = _standard_codecs
        if standard is not None and standard.claiming and standard.function is None:
            # The standard `encodings` registers, in the place kept for it.
            standard.claiming = False
            standard.function = search_function
            search_functions.append(standard)
            return
        registered = _HostCodecSearch(search_function)
        host_register(registered)
        search_functions.append(registered)

    def unregister(search_function, /):
        for index, registered in enumerate(search_functions):
            if registered.function is search_function:
                del search_functions[index]
                host_unregister(registered)
                if registered is _standard_codecs:
                    registered.function = None
                cache.clear()
                by_name.clear()
                break

    def lookup(encoding, /):
        if type(encoding) is str:
            found = by_name.get(encoding)
            if found is not None:
                return found
        if not isinstance(encoding, str) or "\0" in encoding:
            return host_lookup(encoding)  # CPython's TypeError or ValueError
        start()
        normalized = _normalize_encoding(encoding)
        found = cache.get(normalized)
        if found is None:
            for registered in list(search_functions):
                found = registered.function(normalized)
                if found is None:
                    continue
                if not isinstance(found, tuple) or len(found) != 4:
                    raise TypeError("codec search functions must return 4-tuples")
                cache[normalized] = found
                break
            else:
                # Asked of the host's registry, without the guest's functions again.
                _searching.host_only = True
                try:
                    return host_lookup(encoding)
                finally:
                    _searching.host_only = False
        if type(encoding) is str:
            by_name[encoding] = found
        return found

    def _forget_codec(encoding, /):
        cache.pop(_normalize_encoding(encoding), None)
        by_name.clear()
        return host_forget(encoding)

    replacements = [lookup, register, unregister]
    if host_forget is not None:
        replacements.append(_forget_codec)
    for function in replacements:
        setattr(module, function.__name__,
                BuiltinFunction(function, shown=getattr(module, function.__name__)))


# How many of the collector's frozen objects are gilless's (`freeze_gilless_objects`):
# none once the guest's `gc.unfreeze` has thawed them with its own.
_frozen_by_gilless = 0


def freeze_gilless_objects():
    """Put the objects that exist now out of the cyclic collector's reach, as a server
    does with `gc.freeze` before it forks: called as the process starts, before the
    first guest object exists, they are gilless's own modules, functions and classes
    and the host's modules, which live until the process ends. Every full collection
    (each of the host's two at exit, the one that finalizes `__main__`, the guest's
    own) then traces the guest's objects only, as CPython's traces the program's:
    measured on CPython 3.11, a `-c pass` start-up costs 6 ms less. The guest does not
    see gilless's objects in `gc.get_objects()` or `gc.get_referrers()`, and its
    `gc.get_freeze_count()` counts the objects it froze itself (`_adapt_gc`)."""
    global _frozen_by_gilless
    gc.freeze()
    _frozen_by_gilless = gc.get_freeze_count()


def _adapt_gc(module):
    host_unfreeze, host_freeze_count = module.unfreeze, module.get_freeze_count

    def unfreeze():
        global _frozen_by_gilless
        host_unfreeze()
        _frozen_by_gilless = 0

    def get_freeze_count():
        # (Some of gilless's frozen objects may have been freed since.)
        return max(0, host_freeze_count() - _frozen_by_gilless)

    for function, shown in ((unfreeze, host_unfreeze), (get_freeze_count, host_freeze_count)):
        setattr(module, shown.__name__, BuiltinFunction(function, shown=shown))



# What stands for an allocation's frames that were all gilless's.
_UNKNOWN_FRAMES = (("<unknown>", 0),)


def _guest_frames(frames, _gilless_dir=GILLESS_DIR):
    """A tracemalloc traceback (most recent frame first) without gilless's frames."""
    kept = tuple(frame for frame in frames if not frame[0].startswith(_gilless_dir))
    return kept or _UNKNOWN_FRAMES


def _adapt_tracemalloc(module):
    """tracemalloc records the frames that allocate, gilless's among them: its compile
    cache unmarshalling a module's code where CPython's importlib does, its stand-ins
    for C functions. The guest's snapshots and object tracebacks leave them out; an
    allocation none of whose recorded frames is the guest's (one frame is recorded
    unless `start` asks for more) is `<unknown>`'s, as tracemalloc shows one it could
    not place, so that the snapshot still counts its memory. A traceback shared by
    many traces is filtered once."""
    get_traces = module._get_traces
    get_object_traceback = module._get_object_traceback

    def _get_traces():
        filtered = {}
        traces = []
        # (Each trace's count of frames before the limit cut them is left as the host
        # counted it: the frames past the limit are not known.)
        for domain, size, frames, total in get_traces():
            kept = filtered.get(frames)
            if kept is None:
                kept = filtered[frames] = _guest_frames(frames)
            traces.append((domain, size, kept, total))
        return traces

    def _get_object_traceback(obj, /):
        frames = get_object_traceback(obj)
        return frames if frames is None else _guest_frames(frames)

    for function, shown in ((_get_traces, get_traces),
                            (_get_object_traceback, get_object_traceback)):
        setattr(module, shown.__name__, BuiltinFunction(function, shown=shown))


class _SignalHandler:
    """The host's handler for the guest's `handler`: the host calls it with the frame
    it interrupted, which may be gilless's (a GIL mode's or a tool's wrapper of a
    blocking call); the guest's handler gets the guest frame beneath, and runs above
    it, as CPython runs a handler above the frame it interrupted."""

    __slots__ = ("handler",)

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, signum, frame):
        try:
            frame = guest_frame_from(frame)
            return call_above(frame, self.handler, signum, frame)
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise


def _adapt_signal(module):
    """`signal.signal` installs the guest's handler behind a `_SignalHandler`;
    `signal.getsignal` and `signal.signal` give back the guest's own."""
    host_signal, host_getsignal = module.signal, module.getsignal
    builtin = type(host_signal)

    def guest_handler(installed):
        return installed.handler if type(installed) is _SignalHandler else installed

    def signal(signalnum, handler, /):
        if callable(handler) and type(handler) is not builtin:
            handler = _SignalHandler(handler)
        return guest_handler(host_signal(signalnum, handler))

    def getsignal(signalnum, /):
        return guest_handler(host_getsignal(signalnum))

    module.signal = BuiltinFunction(signal, shown=host_signal)
    module.getsignal = BuiltinFunction(getsignal, shown=host_getsignal)


def _adapt_coverage_tracer(module):
    # Imported with the module: only measured programs pay for it.
    from gilless.module import ctraceadapter
    ctraceadapter.adapt(module)


# Extension module name (not the host's own) -> what makes it behave as in CPython.
EXTENSION_ADAPTERS = {"coverage.tracer": _adapt_coverage_tracer}

# Host module name -> what makes its guest copy behave as in CPython.
ADAPTERS = {"time": _adapt_time, "_lsprof": _adapt_lsprof, "_pickle": _adapt_pickle,
            "_codecs": _adapt_codecs, "faulthandler": _adapt_faulthandler, "gc": _adapt_gc,
            "_signal": _adapt_signal, "_tracemalloc": _adapt_tracemalloc}
