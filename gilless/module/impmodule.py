"""The guest `_imp`: what the standard library's importlib asks of the interpreter.

gilless has no frozen modules: its built-in modules are the table in
`gilless.module`, guest source files are compiled by the gilless loader
(`gilless.objspace.importing`), and extension modules are the host's, with
the host's suffixes, loaded by the host's loader in the guest's import
context (`gilless.module.hostmodules`). The module's
names are declared in `definitions`; all but the import lock's functions are
module-level functions over the installed guest world. The lock's are made
for one lock (`import_lock_functions`), because the GIL mode gives its `_imp`
a lock that lets the GIL go while it waits; they run only when an import
misses the module table (see docs/threads.md).
"""

import _imp as host_imp
import types

import _thread

from gilless.base.frames import hides_frames
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


def is_frozen(name):
    return False


def is_frozen_package(name):
    raise ImportError(f"No such frozen object named {name!r}", name=name)


def find_frozen(name, *, withdata=False):
    return None


def get_frozen_object(name, data=None):
    # With `data`, CPython unmarshals it rather than looking the name up.
    if data is None:
        raise ImportError(f"No such frozen object named {name!r}", name=name)
    import marshal
    try:
        code = marshal.loads(memoryview(data))
    except TypeError:
        raise TypeError(f"get_frozen_object() argument 2 must be bytes, "
                        f"not {type(data).__name__}") from None
    except (EOFError, ValueError):
        raise ImportError(f"Frozen object named {name!r} is invalid", name=name) from None
    if not isinstance(code, types.CodeType):
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


def _override_frozen_modules_for_tests(override):
    return None


def _override_multi_interp_extensions_check(override):
    return -1


def _frozen_module_names():
    return ()


def definitions():
    """The guest `_imp`'s names and values (its import lock is a fresh one)."""
    acquire_lock, release_lock, lock_held = import_lock_functions(_thread.RLock())
    names = {
        "acquire_lock": acquire_lock, "release_lock": release_lock, "lock_held": lock_held,
        "is_builtin": is_builtin, "create_builtin": create_builtin,
        "exec_builtin": exec_builtin, "is_frozen": is_frozen,
        "is_frozen_package": is_frozen_package, "find_frozen": find_frozen,
        "get_frozen_object": get_frozen_object, "init_frozen": init_frozen,
        "extension_suffixes": extension_suffixes, "create_dynamic": create_dynamic,
        "exec_dynamic": exec_dynamic, "_fix_co_filename": _fix_co_filename,
        "_override_frozen_modules_for_tests": _override_frozen_modules_for_tests,
        "_override_multi_interp_extensions_check": _override_multi_interp_extensions_check,
        "_frozen_module_names": _frozen_module_names,
        "source_hash": host_imp.source_hash,
        "check_hash_based_pycs": "never",
    }
    if hasattr(host_imp, "pyc_magic_number_token"):
        names["pyc_magic_number_token"] = host_imp.pyc_magic_number_token
    return names


def create(space):
    module = types.ModuleType("_imp", "(Extremely) low-level import machinery bits as used by importlib.")
    for name, value in definitions().items():
        if isinstance(value, types.FunctionType):
            value.__module__ = "_imp"
            value.__qualname__ = value.__name__
        setattr(module, name, value)
    return module
