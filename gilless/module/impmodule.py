"""The guest `_imp`: what the standard library's importlib asks of the interpreter.

gilless has no frozen modules and loads no extension modules: its built-in
modules are the table in `gilless.module`, and guest source files are
compiled by the gilless loader (`gilless.objspace.importing`).
"""

import _imp as host_imp
import types

import _thread

from gilless.objspace.tracebacks import hide_internal_frames


def import_lock_functions(import_lock):
    """`_imp.acquire_lock`, `release_lock` and `lock_held` over `import_lock` (an RLock;
    the GIL mode passes one that gives the GIL up while it waits)."""
    def acquire_lock():
        try:
            import_lock.acquire()
        except BaseException as error:
            hide_internal_frames(error)
            raise

    def release_lock():
        try:
            import_lock.release()
        except RuntimeError:
            raise RuntimeError("not holding the import lock") from None

    def lock_held():
        return import_lock._is_owned()

    return acquire_lock, release_lock, lock_held


def create(space):
    module = types.ModuleType("_imp", "(Extremely) low-level import machinery bits as used by importlib.")
    acquire_lock, release_lock, lock_held = import_lock_functions(_thread.RLock())

    def is_builtin(name):
        return 1 if name in space.builtin_modules else 0

    def create_builtin(spec):
        name = spec.name
        existing = space.modules.get(name)
        if name in ("sys", "builtins") and existing is not None:
            return existing
        if name not in space.builtin_modules:
            raise ImportError(f"no built-in module named {name}", name=name)
        return space.builtin_modules.create(name)

    def exec_builtin(mod):
        return 0

    def is_frozen(name):
        return False

    def is_frozen_package(name):
        raise ImportError(f"No such frozen object named {name!r}", name=name)

    def find_frozen(name, *, withdata=False):
        return None

    def get_frozen_object(name, data=None):
        raise ImportError(f"No such frozen object named {name!r}", name=name)

    def init_frozen(name):
        return None

    def extension_suffixes():
        return []

    def create_dynamic(spec, file=None):
        raise ImportError(f"gilless cannot load extension module {spec.name!r}", name=spec.name)

    def exec_dynamic(mod):
        return 0

    def _fix_co_filename(code, path):
        return None

    def _override_frozen_modules_for_tests(override):
        return None

    def _override_multi_interp_extensions_check(override):
        return -1

    def _frozen_module_names():
        return ()

    for function in list(locals().values()):
        if isinstance(function, types.FunctionType):
            function.__module__ = "_imp"
            function.__qualname__ = function.__name__
            setattr(module, function.__name__, function)
    module.source_hash = host_imp.source_hash
    module.check_hash_based_pycs = "never"
    if hasattr(host_imp, "pyc_magic_number_token"):
        module.pyc_magic_number_token = host_imp.pyc_magic_number_token
    return module
