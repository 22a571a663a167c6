"""The guest's import system.

It is the standard library's own `importlib._bootstrap` and
`_bootstrap_external`, compiled as guest code under the names CPython
freezes them with, and installed on the guest `sys` with gilless's `_imp`.
So packages, relative imports, `sys.meta_path`, per-module import locks and
waiting for a module another thread is importing all behave as in CPython.
gilless adds two things: a source loader that compiles through the gilless
compiler and its disk cache, and `guest_import`, the `import` statement's
entry point, which follows CPython's C code (PyImport_ImportModuleLevelObject)
over importlib's functions: a module already loaded is returned without
running importlib's Python code, and one still initialising in another thread
is waited for through its module lock. Host C code (an extension module's)
that imports reads the host's module table afterwards, so a guest module it
asks for is entered there (see `guest_import` and `GuestModulesForHostCCode`).

`guest_import` is a module-level function reading the installed guest world
(`gilless.base.state.world`), not a closure or a bound method: every thread
calls it, and on a free-threaded host a shared closure would contend on its
reference count.
"""

import builtins as host_builtins
import _frozen_importlib as _host_bootstrap
import _imp as host_imp
import os
import sys as host_sys
from builtins import exec as host_exec
from _thread import _local as _host_local
from _warnings import warn as host_warn

from gilless.base import hostbuild
from gilless.base.frames import (HOST_BUILTINS, hide_internal_frames, is_gilless_import,
                                 report_import_calls, without_import_frames)
from gilless.base.hoststack import call_above
from gilless.base.hosttypes import ModuleType
from gilless.base.state import world
from gilless.module.hostmodules import (NOT_SHARED, STARTED_WITH, enter_for_host_c_code,
                                        enter_program_module, load_as_started,
                                        withdraw_program_module)
from gilless.module.systrace import guest_frame_from

# Frames of this module are gilless's, also those of code named as importlib's
# below (read by gilless.base.frames.is_internal).
__gilless_internal__ = True

# Pure-Python modules that host C code finds by name in the host's module
# table rather than importing them through the guest (`_datetime` and `time`
# look up `_strptime`, `_json` looks up `json.decoder` for JSONDecodeError,
# and from 3.12 `int` and `str` convert huge numbers with `_pylong`).
# When the guest loads one and the host has none of its own, the guest's is
# entered in the host table too, so the C code uses the guest's classes.
LOOKED_UP_BY_HOST_C_CODE = frozenset({"_strptime", "json.decoder", "_pylong"})

# The last part of the names of the modules that pickle code objects by value, which
# an instrumented mode adapts (gilless.instrument.patch_code_pickler): cloudpickle's
# (also as vendored: `joblib.externals.cloudpickle.cloudpickle`).
_CODE_PICKLERS = frozenset({"cloudpickle", "cloudpickle_fast"})

# Pure-Python modules that host C code takes from the host's module table
# although the host has its own: `object.__reduce_ex__` uses `copyreg`'s
# helpers (which guest `pickle` checks by identity), and `_sre` calls
# `re`'s template expansion (whose errors are `re.error`). The guest's module
# replaces the host's there, so host C code sees the guest's state.
REPLACING_HOST_MODULE = frozenset({"copyreg", "re"})


class _GuestWarningsView(host_sys.__class__):
    """The host table's `warnings`: the guest's `sys.modules["warnings"]` as it is
    when read, or no module (no attribute) where the guest has none.

    The C warning functions (the shared `_warnings`, and every warning host C
    code raises) read `warnings`' filters, `defaultaction`, `onceregistry` and
    `_showwarnmsg` from the table at each warning, as CPython's read its own.
    Programs and test suites import fresh copies of `warnings`
    (`test.support.import_helper.import_fresh_module`) and put the original
    back in `sys.modules`, which C code then reads again: an entry replaced as
    a copy is imported would stay the copy.
    """

    def __getattribute__(self, name):
        if name == "filters" and getattr(_quiet, "on", False):
            return _IGNORE_EVERY_WARNING
        return getattr(_guest_warnings(name), name)

    def __setattr__(self, name, value):
        setattr(_guest_warnings(name), name, value)

    def __delattr__(self, name):
        delattr(_guest_warnings(name), name)


def _guest_warnings(attribute):
    module = world.modules.get("warnings")
    if module is None or module is _GUEST_WARNINGS:
        raise AttributeError(attribute)
    return module


_GUEST_WARNINGS = _GuestWarningsView("warnings")
# While a thread's `on` is set, the C warning functions find filters that ignore every
# warning, in that thread only: the guest's filters are not changed, which would have
# every module's registry forget the warnings it has shown (`quiet_warnings`).
_quiet = _host_local()
_IGNORE_EVERY_WARNING = [("ignore", None, Warning, None, 0)]


class quiet_warnings:
    """Warnings that C code raises in the calling thread are dropped, for gilless's own
    look at source that the program's compilation will warn about (the REPL's test of
    a statement's end: from 3.12 the parser warns of `"\\d"`)."""

    def __enter__(self):
        self.was = getattr(_quiet, "on", False)
        _quiet.on = True

    def __exit__(self, *exc_info):
        _quiet.on = self.was

# Pure-Python modules that host C code imports by name while their own body
# is still running: from CPython 3.12, `typing.Generic`, `TypeVar` and their
# kin are C types (`_typing`) that call back into `typing` (for instance
# `_generic_init_subclass` while `typing` defines `Protocol`). PyImport_Import
# runs the guest's `__import__` and then reads the host's table, so the
# guest's module replaces the host's there before its body runs, and leaves
# again if the body fails.
REPLACING_HOST_MODULE_WHILE_LOADING = frozenset({"typing"})

def guest_import(name, globals=None, locals=None, fromlist=(), level=0):
    # CPython's PyImport_ImportModuleLevelObject, over importlib's functions.
    try:
        if level == 0:
            absolute = name
        else:
            absolute = _resolve_name(name, globals, level)
        module = world.modules.get(absolute)
        if module is None and absolute in STARTED_WITH:
            # Imported as CPython starts (hostmodules).
            module = load_as_started(absolute)
        if module is None:
            if level == 0:
                _check_absolute_name(name)
            # importlib's frames follow the importer's (the guest frame at the `import`
            # statement: an instrumented mode puts its entry point between), as from
            # CPython's C code.
            module = call_above(guest_frame_from(host_sys._getframe(1)), world.find_and_load,
                                absolute, guest_import)
        elif _initializing(module):
            # CPython's import_ensure_initialized: wait for the thread that is
            # importing it, or take it half-initialised in a cycle across threads.
            call_above(guest_frame_from(host_sys._getframe(1)), world.lock_unlock_module,
                       absolute)
        if fromlist.__class__ is list and not fromlist:
            # Only the C API's PyImport_Import passes an empty list; it then
            # reads the module from the host's table.
            enter_for_host_c_code(absolute, module)
        if not fromlist:
            if level == 0:
                if "." not in name:
                    return module
                top = guest_import(name.partition(".")[0])
                _bind_submodules_for_import_as(top, name, guest_frame_from(host_sys._getframe(1)))
                return top
            if not name:
                return module
            # The package named by the absolute name, whatever sys.modules holds.
            cut_off = len(name) - len(name.partition(".")[0])
            to_return = absolute[:len(absolute) - cut_off]
            try:
                return world.modules[to_return]
            except KeyError:
                raise KeyError(f"{to_return!r} not in sys.modules as expected") from None
        if not _has_path(module):
            return module
        # With this function as the importer, as CPython passes `__import__`: a
        # submodule another thread is importing goes through the check above.
        if "__getattr__" in getattr(module, "__dict__", ()) or _watched():
            # Called from the importer's frame, as CPython's C code calls it: a tool sees
            # it called there, and what it runs (a package's `__getattr__`) sees that
            # frame as its caller. (Not otherwise: 1.5 us more per `from package import`.)
            module = call_above(guest_frame_from(host_sys._getframe(1)),
                                world.handle_fromlist, module, fromlist, guest_import)
        else:
            module = world.handle_fromlist(module, fromlist, guest_import)
        _bind_initializing_submodules(module, fromlist)
        return module
    except BaseException as exc:
        try:
            exc.__traceback__ = without_import_frames(exc.__traceback__,
                                                      always=isinstance(exc, ImportError))
        except RecursionError:
            # (At the recursion limit, with no room for a call: gilless's entries at the
            # top unlinked in place, as hides_frames' wrapper does.)
            tb = exc.__traceback__
            while tb is not None and tb.tb_frame.f_builtins is HOST_BUILTINS:
                tb = tb.tb_next
            exc.__traceback__ = tb
        raise


# `import` runs this function where CPython runs C code. Its frame is named
# as importlib's, whose frames `warnings` skips when it looks for the code
# that imported a module (and tracebacks drop, as gilless frames: see __gilless_internal__).
guest_import.__code__ = guest_import.__code__.replace(
    co_filename="<frozen importlib._bootstrap>")
# To the guest it is `builtins.__import__` (its repr, its documentation, pickling by
# reference), where CPython's is a C function.
guest_import.__module__ = "builtins"
guest_import.__name__ = guest_import.__qualname__ = "__import__"
guest_import.__doc__ = host_builtins.__import__.__doc__
report_import_calls(guest_import)


def _has_path(module):
    """Whether `module` has `__path__` (is a package), as CPython's C code looks: a
    module's `__getattr__` that it calls runs above the importer's frame."""
    namespace = getattr(module, "__dict__", None)
    if type(namespace) is dict:
        if "__path__" in namespace:
            return True
        if "__getattr__" in namespace:
            return call_above(guest_frame_from(host_sys._getframe(2)), hasattr, module,
                              "__path__")
    return hasattr(module, "__path__")


def _bind_initializing_submodules(package, fromlist):
    """`from package import sub` while `package.sub` is still being imported (a
    circular import): CPython's IMPORT_FROM then falls back to the module table,
    but the host's, which lacks guest modules; so the submodule is bound on the
    package now rather than when its import ends. A package object that takes no
    attributes (importlib warns that it cannot bind the submodule) gets the
    submodule in the host's table instead, where IMPORT_FROM looks last."""
    # (A module's own attributes, not `hasattr`, which would call its `__getattr__`
    # once more than CPython does.)
    namespace = getattr(package, "__dict__", None)
    if type(namespace) is dict:
        def missing(name):
            return name not in namespace
    else:
        def missing(name):
            return not hasattr(package, name)
    for name in fromlist:
        if type(name) is str and name != "*" and missing(name):
            full_name = f"{package.__name__}.{name}"
            submodule = world.modules.get(full_name)
            if submodule is not None:
                try:
                    setattr(package, name, submodule)
                except (AttributeError, TypeError):
                    # (Itself, not the proxy that enter_program_module shows C code.)
                    withdraw_program_module(full_name)
                    host_sys.modules.setdefault(full_name, submodule)


def _bind_submodules_for_import_as(top, name, caller):
    """`import a.b.c as x` takes `b` from `a` and `c` from that (IMPORT_FROM), and
    CPython's IMPORT_FROM falls back to the module table for a submodule not yet
    bound on its package: one whose import is still running (a circular import)
    or one put in sys.modules by hand. The host's table lacks guest modules, so
    such a submodule is bound on its package now, only for the `as` form (plain
    `import a.b.c` reads no attribute) and only where the attribute is missing."""
    if caller is None or _bound_already(top, name) or not _is_import_as(caller):
        return
    parent = top
    for child_name in name.split(".")[1:]:
        namespace = getattr(parent, "__dict__", None)
        if type(namespace) is dict and child_name in namespace:
            parent = namespace[child_name]
            continue
        parent_name = getattr(parent, "__name__", None)
        if type(parent_name) is not str:
            return
        child = world.modules.get(f"{parent_name}.{child_name}")
        # A module's __getattr__ answers IMPORT_FROM before the table does.
        if child is None or hasattr(parent, child_name):
            return
        setattr(parent, child_name, child)
        parent = child


def _bound_already(top, name):
    """Whether each submodule of `name` is bound on its package (as importlib binds it
    once imported): then there is nothing to bind, and no need to read the importer's
    code. Told from plain modules' namespaces only, so running no guest code."""
    parent = top
    for child_name in name.split(".")[1:]:
        if type(parent) is not ModuleType:
            return False
        parent = parent.__dict__.get(child_name, _UNBOUND)
        if parent is _UNBOUND:
            return False
    return True


_UNBOUND = object()


def _is_import_as(frame):
    """Whether `frame` is at an IMPORT_NAME whose result IMPORT_FROM reads."""
    global _import_opcodes
    if _import_opcodes is None:
        # Looked up on first use: `opcode` is a module the start-up need not load.
        from opcode import opmap
        _import_opcodes = opmap["IMPORT_NAME"], opmap["IMPORT_FROM"], opmap["EXTENDED_ARG"]
    import_name, import_from, extended_arg = _import_opcodes
    code = frame.f_code.co_code
    offset = frame.f_lasti
    if code[offset] != import_name:
        return False
    offset += 2
    while code[offset] == extended_arg:
        offset += 2
    return code[offset] == import_from


_import_opcodes = None


class GuestModulesForHostCCode:
    """First on the host's `sys.meta_path`: a module that the host's import
    system looks for on behalf of guest code is the guest's.

    Host C code imports either through `__import__` (PyImport_Import; see
    guest_import) or through the host's import system
    (PyImport_ImportModuleLevelObject, which Cython's generated code uses for
    `import` and `from ... import` in a compiled module): the latter misses
    the host's module table for guest modules, and would otherwise load a
    second copy of a package from the host's path, whose exception classes the
    guest does not catch. The import is the guest's when the nearest frame
    below the host's importlib runs with the guest's builtins (guest code that
    called the C function, or a guest module's initialisation); gilless's own
    imports run with the host's. The guest's module is then entered in the
    host's table, where the host's import system leaves it, as guest_import
    leaves the modules PyImport_Import asks for. Costs a frame walk on the
    host's misses only, which after start-up are the guest's.
    """

    @staticmethod
    def find_spec(name, path=None, target=None):
        frame = host_sys._getframe(1)
        while frame is not None and frame.f_globals.get("__name__") in _HOST_IMPORTLIB:
            frame = frame.f_back
        if frame is None or frame.f_builtins is HOST_BUILTINS:
            return None
        guest_import(name)
        module = world.modules[name]
        # Entered as the guest loaded it (enter_program_module), the host's import would
        # take it for one its finder had imported, and load it again from its
        # `__spec__`: it enters the module itself.
        withdraw_program_module(name)
        own_spec = getattr(module, "__spec__", None)
        return _host_bootstrap.ModuleSpec(name, GuestModulesForHostCCode,
                                          loader_state=(module, own_spec))

    @staticmethod
    def create_module(spec):
        return spec.loader_state[0]

    @staticmethod
    def exec_module(module):
        # The host's import gave the module this loader's spec: its own comes back.
        module.__spec__ = module.__spec__.loader_state[1]


_HOST_IMPORTLIB = frozenset({"importlib._bootstrap", "importlib._bootstrap_external"})


# CPython 3.12 made the warning for a `__package__` that is not `__spec__.parent` a
# DeprecationWarning.
_PACKAGE_MISMATCH = DeprecationWarning if host_sys.version_info >= (3, 12) else ImportWarning


_gettrace, _getprofile = host_sys.gettrace, host_sys.getprofile
if hasattr(host_sys, "monitoring"):
    from gilless.module.sysmonitoring import has_callbacks as _monitored
else:
    def _monitored():
        return False


def _watched():
    """Whether a tracer, a profiler or a monitoring tool may see guest code run now."""
    return _gettrace() is not None or _getprofile() is not None or _monitored()


def _parent_of(spec):
    """`spec.parent`, a property of importlib's, which CPython's C code reads: where a
    tool watches, its frame follows the importer's, as from C code (`profile` checks
    each frame's caller)."""
    if not _watched():
        return spec.parent
    return call_above(guest_frame_from(host_sys._getframe(1)), getattr, spec, "parent")


def _resolve_name(name, globals, level):
    """The absolute name of a relative import: CPython's checks and resolve_name, in its
    C code, rather than importlib's `_calc___package__`, `_sanity_check` and
    `_resolve_name`, whose frames tracers and profilers would see, and whose messages
    are not the C code's. (None as `globals` is taken for no globals at all, which a
    call of `__import__` without them gives in CPython: a KeyError rather than the
    TypeError of an explicit None.) Its warnings are the importer's, as the C code's
    are: `_warnings` skips the frames named as importlib's above this one."""
    if not isinstance(name, str):
        raise TypeError("module name must be a string")
    if level < 0:
        raise ValueError("level must be >= 0")
    if globals is None:
        raise KeyError("'__name__' not in globals")
    if not isinstance(globals, dict):
        raise TypeError("globals must be a dict")
    package = globals.get("__package__")
    spec = globals.get("__spec__")
    if package is not None:
        if not isinstance(package, str):
            raise TypeError("package must be a string")
        if spec is not None:
            parent = _parent_of(spec)
            if package is not parent and not package == parent:
                host_warn("__package__ != __spec__.parent", _PACKAGE_MISMATCH, 2)
    elif spec is not None:
        package = _parent_of(spec)
        if not isinstance(package, str):
            raise TypeError("__spec__.parent must be a string")
    else:
        host_warn("can't resolve package from __spec__ or __package__, falling back on "
                  "__name__ and __path__", ImportWarning, 2)
        if "__name__" not in globals:
            raise KeyError("'__name__' not in globals")
        package = globals["__name__"]
        if not isinstance(package, str):
            raise TypeError("__name__ must be a string")
        if "__path__" not in globals:
            package = package[:max(package.rfind("."), 0)]
    last_dot = len(package)
    if not last_dot:
        raise ImportError("attempted relative import with no known parent package")
    for _ in range(1, level):
        last_dot = package.rfind(".", 0, last_dot)
        if last_dot == -1:
            raise ImportError("attempted relative import beyond top-level package")
    base = package[:last_dot]
    return f"{base}.{name}" if name else base


def _check_absolute_name(name):
    # CPython's checks, in its C code: no importlib frame for a profiler to see.
    if not isinstance(name, str):
        raise TypeError("module name must be a string")
    if not name:
        raise ValueError("Empty module name")


def _exec_module(loader, module):
    """importlib's `exec_module` of `loader`, its frame following the one that called
    gilless's loader (`_load_unlocked`), as where CPython's loader is importlib's own."""
    return call_above(host_sys._getframe(2), loader.exec_module, module)


def _from_caller(function, *args):
    """importlib's `function(*args)` from a method of gilless's loader, its frame
    following the method's caller, as where the method is importlib's own."""
    return call_above(host_sys._getframe(2), function, *args)


def _import_io_as_open_code(external):
    """What CPython's loader does as it opens a module's `.pyc`, where gilless found the
    module's code in its own cache: `io.open_code` imports `_io` through `__import__`
    (PyImport_Import, with the running frame's globals, importlib's), which only a
    program that replaced `__import__` sees. (A module that gilless compiles, as one
    whose `.pyc` CPython compiles, opens its source through importlib, which does the
    same; CPython first tries the `.pyc`, once more.)"""
    importer = world.builtins.get("__import__")
    if not is_gilless_import(importer):
        namespace = vars(external)
        call_above(host_sys._getframe(2), importer, "_io", namespace, namespace, [], 0)


def _initializing(module):
    spec = getattr(module, "__spec__", None)
    return spec is not None and getattr(spec, "_initializing", False)


# `packaging.tags`, also as vendored by pip and setuptools (`pip._vendor.packaging.tags`).
_PACKAGING_TAGS = "packaging.tags"


def _tag_wheels_as_cpython(module):
    """Wheel tags computed under gilless are CPython's: gilless loads the host's
    extension modules, so the host's interpreter and ABI tags (`cp311-cp311`,
    `cp313-cp313t`) are what it runs, and pip should choose CPython's binary
    wheels rather than build from source. `packaging` takes the interpreter
    tag from `sys.implementation.name` through its table of short names, and
    the ABI tags from sysconfig (the host's) only for an interpreter it knows
    as `cp`; so the name "gilless" is entered there as CPython's, and
    `sys.implementation.name` stays "gilless"."""
    short_names = getattr(module, "INTERPRETER_SHORT_NAMES", None)
    if type(short_names) is dict:
        short_names.setdefault(world.sys["implementation"].name, "cp")


def frozen_code(space, name, found):
    """The code of the module that the host freezes as `name` (`found`: the host's
    `find_frozen(name)`): the host's frozen code where gilless compiles as the host
    (on 3.11, a code object already in memory), else its standard library file
    compiled in the world's mode under the frozen code's file name, through the
    compile cache; the frozen code where there is no such file (the test modules of
    some builds)."""
    if space.compile_options.instrumented:
        _, is_package, origname = found
        path = os.path.join(hostbuild.STDLIB, origname.replace(".", os.sep)
                            + (f"{os.sep}__init__.py" if is_package else ".py"))
        code_filename = f"<frozen {origname}>"
        code, link = space.code_cache.cached_file(path, code_filename, space.compile_options)
        if code is not None:
            return code
        try:
            with open(path, "rb") as f:
                source = f.read()
        except OSError:
            pass
        else:
            return space.code_cache.compile_module(source, code_filename,
                                                   space.compile_options, link)
    return host_imp.get_frozen_object(name)


def load_import_module(space, name):
    """Run the import system's module `name` (`_frozen_importlib`...) as that guest
    module, from its frozen code (`frozen_code`)."""
    code = frozen_code(space, name, host_imp.find_frozen(name))
    module = space.new_module(name)
    space.modules[name] = module
    exec(code, module.__dict__)
    return module


def load_bootstrap(space):
    """The guest's importlib._bootstrap, loaded (its body only defines) but not installed."""
    return load_import_module(space, "_frozen_importlib")


def install(space, bootstrap):
    """Build the guest import system on `space.sys` (whose world is installed)."""
    guest_sys = space.sys
    guest_imp = space.builtin_modules.create("_imp")
    space.modules["_imp"] = guest_imp
    bootstrap._install(guest_sys, guest_imp)
    external = load_import_module(space, "_frozen_importlib_external")
    bootstrap._install_external_importers()
    _frozen_specs(space, bootstrap)
    # Module bodies run under the host's exec, a C function as in CPython: the
    # guest's exec is a Python function, whose frame would stand between a
    # module and its importer (warnings.warn(stacklevel=2) would blame it).
    external.exec = bootstrap.exec = host_exec

    _leave_out_modules_not_shared(external)
    loader_class = _gilless_source_loader(space, external, bootstrap)
    guest_sys.path_hooks[:] = [external.FileFinder.path_hook(
        (external.ExtensionFileLoader, external.EXTENSION_SUFFIXES),
        (loader_class, external.SOURCE_SUFFIXES),
        # A `.pyc` with no source beside it runs as it was compiled, whatever
        # gilless's mode, as there is nothing to compile again.
        (external.SourcelessFileLoader, external.BYTECODE_SUFFIXES))]
    space.source_loader_class = loader_class
    # A module's repr is importlib's `_module_repr`, which the host's C code takes
    # from the host's importlib: the guest's knows the guest's loaders (a namespace
    # package's is `<module 'name' (namespace) from [...]>` from 3.13).
    host_sys.modules["_frozen_importlib"]._module_repr = bootstrap._module_repr
    _install_zipimport(space)
    if GuestModulesForHostCCode not in host_sys.meta_path:
        host_sys.meta_path.insert(0, GuestModulesForHostCCode)


def enter_program_modules(bootstrap):
    """importlib's `_find_and_load`, through which every import that misses the module
    table goes (an `import` statement, `importlib.import_module`, whichever loader
    runs the module: pytest's, a zip archive's), also enters the module it loaded in
    the host's table for C code that looks it up by name
    (hostmodules.enter_program_module). Its frame is left out of the stack: importlib's
    own follows its caller's."""
    find_and_load = bootstrap._find_and_load

    def _find_and_load(name, import_):
        try:
            module = call_above(host_sys._getframe().f_back, find_and_load, name, import_)
        except BaseException as error:
            hide_internal_frames(error)
            raise
        enter_program_module(name, module)
        return module

    # (Named as importlib's, as guest_import is, for `warnings`.)
    _find_and_load.__code__ = _find_and_load.__code__.replace(
        co_filename="<frozen importlib._bootstrap>")
    bootstrap._find_and_load = world.find_and_load = _find_and_load


def _leave_out_modules_not_shared(external):
    """The guest's path finder does not see the host's C modules that gilless does not
    load (hostmodules' NOT_SHARED: the subinterpreters modules), so that
    `importlib.util.find_spec` finds none, as in a CPython built without them, and
    their import says `No module named ...`. The finder's listing of the host's
    lib-dynload leaves out their files; the listing is importlib's own, called
    from the finder's frame."""
    fill_cache = external.FileFinder._fill_cache
    lib_dynload = os.path.abspath(hostbuild.LIB_DYNLOAD)

    def _fill_cache(self):
        _from_caller(fill_cache, self)
        if os.path.abspath(self.path) == lib_dynload:
            for name in ("_path_cache", "_relaxed_path_cache"):
                entries = getattr(self, name, None)
                if entries:
                    setattr(self, name, {entry for entry in entries
                                         if entry.partition(".")[0] not in NOT_SHARED})

    _fill_cache.__qualname__ = "FileFinder._fill_cache"
    _fill_cache.__code__ = _fill_cache.__code__.replace(
        co_filename="<frozen importlib._bootstrap_external>")
    external.FileFinder._fill_cache = _fill_cache


def _frozen_specs(space, bootstrap):
    """The import system's own modules, frozen in CPython, have the specs CPython's
    `_setup` and `FrozenImporter` give them (`<module '_frozen_importlib' (frozen)>`),
    though gilless runs them as guest modules that the guest's `_imp` does not call
    frozen. (CPython fixes `_frozen_importlib` up before it can find files: no file
    name in its loader state.)"""
    state_type = type(space.sys.implementation)
    external = os.path.join(hostbuild.STDLIB, "importlib", "_bootstrap_external.py")
    for name, filename in (("_frozen_importlib", None),
                           ("_frozen_importlib_external", external)):
        spec = bootstrap.ModuleSpec(name, bootstrap.FrozenImporter, origin="frozen")
        origname = "importlib." + name.replace("_frozen_importlib", "_bootstrap", 1)
        spec.loader_state = state_type(filename=filename, origname=origname)
        module = space.modules[name]
        module.__spec__ = spec
        module.__loader__ = bootstrap.FrozenImporter


def _install_zipimport(space):
    """Zip archives on sys.path (and zip applications run as programs), as CPython's
    import initialisation puts `zipimporter` first among the path hooks."""
    try:
        zipimport = space.import_module("zipimport")
    except ImportError:
        return
    space.sys.path_hooks.insert(0, zipimport.zipimporter)


def _follow_program_exec(space, external, bootstrap):
    """importlib's loaders run a module's body with the `exec` of their builtins, which a
    program may replace, delete or set to None (CPython's import then calls that): the
    host's exec while the builtins hold the guest's own (a C function, no frame between
    a module and its importer), else what they hold, or no `exec` at all."""
    current = vars(space.builtins).get("exec", _NO_EXEC)
    wanted = host_exec if current is space.builtins_copy.get("exec") else current
    for module in (external, bootstrap):
        namespace = vars(module)
        if wanted is _NO_EXEC:
            namespace.pop("exec", None)
        elif namespace.get("exec", _NO_EXEC) is not wanted:
            namespace["exec"] = wanted


_NO_EXEC = object()


def _gilless_source_loader(space, external, bootstrap):
    """A SourceFileLoader of the guest's that compiles through gilless and its cache."""
    from gilless.compiler import compile_guest

    call_with_frames_removed = bootstrap._call_with_frames_removed

    class SourceFileLoader(external.SourceFileLoader):
        # What the methods below raise leaves them without gilless's frames (theirs
        # included), which an `import` statement's exception loses with importlib's,
        # but not one that `importlib.import_module` raises.

        def get_code(self, fullname):
            try:
                path = _from_caller(self.get_filename, fullname)
                # Found by the file's status, as CPython finds a .pyc, without reading
                # the source.
                code, link = space.code_cache.cached_file(path, path, space.compile_options)
                if code is not None:
                    _import_io_as_open_code(external)
                    return code
                source = _from_caller(self.get_data, path)
                return _from_caller(call_with_frames_removed, space.code_cache.compile_module,
                                    source, path, space.compile_options, link)
            except BaseException as error:
                hide_internal_frames(error)
                raise

        def source_to_code(self, data, path, *, _optimize=-1):
            options = space.compile_options
            if _optimize != -1:
                options = options._replace(optimize=_optimize)
            return _from_caller(call_with_frames_removed, compile_guest, data, path, "exec", 0,
                                options)

        def exec_module(self, module):
            name = module.__name__
            _follow_program_exec(space, external, bootstrap)
            try:
                if name in REPLACING_HOST_MODULE_WHILE_LOADING:
                    replaced = host_sys.modules.get(name)
                    host_sys.modules[name] = module
                    try:
                        _exec_module(super(), module)
                    except BaseException:
                        if replaced is None:
                            host_sys.modules.pop(name, None)
                        else:
                            host_sys.modules[name] = replaced
                        raise
                else:
                    _exec_module(super(), module)
            except BaseException as error:
                hide_internal_frames(error)
                raise
            if space.tool is not None:
                # Publishes the body's writes to threads that import the module later.
                space.tool.module_executed(name)
                if (space.compile_options.accesses
                        and name.rpartition(".")[2] in _CODE_PICKLERS):
                    from gilless import instrument
                    instrument.patch_code_pickler(module)
            if name in REPLACING_HOST_MODULE_WHILE_LOADING:
                return
            if name == _PACKAGING_TAGS or name.endswith("." + _PACKAGING_TAGS):
                _tag_wheels_as_cpython(module)
            elif name in LOOKED_UP_BY_HOST_C_CODE:
                host_sys.modules.setdefault(name, module)
            elif name in REPLACING_HOST_MODULE:
                host_sys.modules[name] = module
            elif name == "warnings":
                host_sys.modules[name] = _GUEST_WARNINGS

    SourceFileLoader.__module__ = "_frozen_importlib_external"
    SourceFileLoader.__qualname__ = "SourceFileLoader"
    for method in vars(SourceFileLoader).values():
        if hasattr(method, "__code__"):
            # Named as importlib's, as guest_import is, for `warnings`.
            method.__code__ = method.__code__.replace(
                co_filename="<frozen importlib._bootstrap_external>")
    return SourceFileLoader
