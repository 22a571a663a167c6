"""The guest `_imp`: what the standard library's importlib asks of the interpreter.

Its built-in modules are the table in `gilless.module`, guest source files
are compiled by the gilless loader (`gilless.objspace.importing`), and
extension modules are the host's, with the host's suffixes, loaded by the
host's loader in the guest's import context (`gilless.module.hostmodules`).
Its frozen modules are the host's (`os`, `site`, `codecs`... and the test
modules `__hello__` and `__phello__`), found and imported by importlib's
`FrozenImporter` as in CPython, unless `-X frozen_modules=off`: where
gilless compiles as the host, their code is the host's frozen code, which
imports with no file to find or read (about 1.5 ms of a start-up on
CPython 3.11), else the standard library's file compiled in the world's
mode under the frozen module's name. The import system's own modules are
gilless's (`importlib._bootstrap`, see `gilless.objspace.importing`).

The module's names are declared in `definitions`; all but the import lock's
and the frozen modules' functions are module-level functions over the
installed guest world. The lock's are made for one lock
(`import_lock_functions`), because the GIL mode gives its `_imp` a lock
that lets the GIL go while it waits; they run only when an import misses
the module table (see docs/threads.md). The frozen modules' are made for
one world, whose `-X frozen_modules` and mode they follow.
"""

import _imp as host_imp

import _thread

from gilless.base.frames import BUILTIN_CALLS, hides_frames, report_as_c_function
from gilless.base.hosttypes import CodeType, FunctionType, ModuleType
from gilless.base.state import world
from gilless.module import hostmodules


def import_lock_functions(import_lock):
    """`_imp.acquire_lock`, `release_lock` and `lock_held` over `import_lock` (an RLock;
    the GIL mode passes one that gives the GIL up while it waits)."""
    @hides_frames
    def acquire_lock():
        import_lock.acquire()

    def release_lock():
        try:
            import_lock.release()
        except RuntimeError:
            raise RuntimeError("not holding the import lock") from None

    def lock_held():
        return import_lock._is_owned()

    return acquire_lock, release_lock, lock_held


def is_builtin(name):
    return 1 if name in world.builtin_modules else 0


def create_builtin(spec):
    name = spec.name
    existing = world.modules.get(name)
    if name in ("sys", "builtins") and existing is not None:
        return existing
    if name not in world.builtin_modules:
        raise ImportError(f"no built-in module named {name}", name=name)
    return world.builtin_modules.create(name)


def exec_builtin(mod):
    return 0


# Frozen in the host, but gilless's own in the guest.
_NOT_FROZEN = frozenset({"_frozen_importlib", "_frozen_importlib_external"})


def frozen_module_functions(space):
    """`_imp`'s functions of frozen modules, for the guest world `space`."""
    # As CPython's: > 0 uses the frozen modules, < 0 not, 0 as configured.
    override = [0]

    def enabled():
        return override[0] > 0 or (override[0] == 0 and space.config.frozen_modules)

    def frozen(name, withdata=False):
        """The host's find_frozen(name) for a module the guest imports frozen, or None."""
        if not enabled() or not isinstance(name, str) or name in _NOT_FROZEN:
            return None
        return host_imp.find_frozen(name, withdata=withdata)

    def is_frozen(name):
        return frozen(name) is not None

    def is_frozen_package(name):
        found = frozen(name)
        if found is None:
            raise ImportError(f"No such frozen object named {name!r}", name=name)
        return found[1]

    def find_frozen(name, *, withdata=False):
        return frozen(name, withdata)

    def get_frozen_object(name, data=None):
        if data is not None:
            return _code_from_data(name, data)
        found = frozen(name)
        if found is None:
            raise ImportError(f"No such frozen object named {name!r}", name=name)
        return space.frozen_code(name, found)

    def _frozen_module_names():
        if not enabled():
            return []
        return [name for name in host_imp._frozen_module_names()
                if name not in _NOT_FROZEN]

    def _override_frozen_modules_for_tests(value):
        override[0] = value

    return {function.__name__: function for function in (
        is_frozen, is_frozen_package, find_frozen, get_frozen_object, _frozen_module_names,
        _override_frozen_modules_for_tests)}


def _code_from_data(name, data):
    # With `data`, CPython unmarshals it rather than looking the name up.
    import marshal
    try:
        code = marshal.loads(memoryview(data))
    except TypeError:
        raise TypeError(f"get_frozen_object() argument 2 must be bytes, "
                        f"not {type(data).__name__}") from None
    except (EOFError, ValueError):
        raise ImportError(f"Frozen object named {name!r} is invalid", name=name) from None
    if not isinstance(code, CodeType):
        raise TypeError(f"frozen object {name!r} is not a code object")
    return code


def init_frozen(name):
    return None


def extension_suffixes():
    return host_imp.extension_suffixes()


def create_dynamic(spec, file=None):
    return hostmodules.create_extension(spec)


def exec_dynamic(mod):
    return hostmodules.exec_extension(mod)


def _fix_co_filename(code, path):
    return None


def _override_multi_interp_extensions_check(override):
    return -1


def definitions(space):
    """The guest `_imp`'s names and values (its import lock is a fresh one)."""
    acquire_lock, release_lock, lock_held = import_lock_functions(_thread.RLock())
    names = {
        "acquire_lock": acquire_lock, "release_lock": release_lock, "lock_held": lock_held,
        "is_builtin": is_builtin, "create_builtin": create_builtin,
        "exec_builtin": exec_builtin, "init_frozen": init_frozen,
        "extension_suffixes": extension_suffixes, "create_dynamic": create_dynamic,
        "exec_dynamic": exec_dynamic, "_fix_co_filename": _fix_co_filename,
        "_override_multi_interp_extensions_check": _override_multi_interp_extensions_check,
        **frozen_module_functions(space),
        "source_hash": host_imp.source_hash,
        "check_hash_based_pycs": space.config.check_hash_pycs_mode,
    }
    if hasattr(host_imp, "pyc_magic_number_token"):
        names["pyc_magic_number_token"] = host_imp.pyc_magic_number_token
    return names


def create(space):
    module = ModuleType("_imp", "(Extremely) low-level import machinery bits as used by importlib.")
    for name, value in definitions(space).items():
        if isinstance(value, FunctionType):
            value.__module__ = "_imp"
            value.__qualname__ = value.__name__
            if value.__code__ not in BUILTIN_CALLS:
                # (`acquire_lock` is `hides_frames`', reported so already.)
                report_as_c_function(value)
        setattr(module, name, value)
    return module
