"""The guest's import system.

It is the standard library's own `importlib._bootstrap` and
`_bootstrap_external`, compiled as guest code under the names CPython
freezes them with, and installed on the guest `sys` with gilless's `_imp`.
So packages, relative imports, `sys.meta_path`, per-module import locks and
waiting for a module another thread is importing all behave as in CPython.
gilless adds two things: a source loader that compiles through the gilless
compiler and its disk cache, and a fast path for `import` statements whose
module is already loaded (CPython's is in C, importlib's in Python).

`guest_import` is a module-level function reading module-level state, not a
closure or a bound method: every thread calls it, and on a free-threaded
host a shared closure would contend on its reference count.
"""

import os
import sysconfig

from gilless.objspace.tracebacks import without_import_frames

# Standard library modules CPython runs frozen: their code is named
# "<frozen NAME>" there, and so it is here, so tracebacks read the same.
FROZEN_STDLIB = frozenset({
    "abc", "codecs", "encodings", "encodings.aliases", "encodings.utf_8", "io",
    "_collections_abc", "_sitebuiltins", "genericpath", "ntpath", "posixpath", "os",
    "site", "stat", "importlib.util", "importlib.machinery", "runpy",
})

# The active guest world's module table and importlib functions (set by `install`).
_modules = None
_bootstrap_import = None
_handle_fromlist = None
_gcd_import = None


def guest_import(name, globals=None, locals=None, fromlist=(), level=0):
    try:
        if level == 0:
            module = _modules.get(name)
            if module is not None and not _initializing(module):
                if not fromlist:
                    if "." not in name:
                        return module
                    return guest_import(name.partition(".")[0])
                if not hasattr(module, "__path__"):
                    return module
                return _handle_fromlist(module, fromlist, _gcd_import)
        return _bootstrap_import(name, globals, locals, fromlist, level)
    except BaseException as exc:
        exc.__traceback__ = without_import_frames(exc.__traceback__,
                                                  always=isinstance(exc, ImportError))
        raise


def _initializing(module):
    spec = getattr(module, "__spec__", None)
    return spec is not None and getattr(spec, "_initializing", False)


def _stdlib_source(relative):
    path = os.path.join(sysconfig.get_paths()["stdlib"], relative)
    with open(path, "rb") as f:
        return f.read(), path


def load_stdlib_as(space, relative, module_name, code_filename, **attributes):
    """Run a standard library file as guest module `module_name`, compiled under `code_filename`."""
    source, path = _stdlib_source(relative)
    module = space.new_module(module_name)
    module.__dict__.update(attributes)
    code = space.code_cache.compile_module(source, code_filename, space.compile_options)
    space.modules[module_name] = module
    exec(code, module.__dict__)
    return module


def install(space):
    """Build the guest import system on `space.sys`."""
    global _modules, _bootstrap_import, _handle_fromlist, _gcd_import
    _modules = space.modules
    guest_sys = space.sys
    guest_imp = space.builtin_modules.create("_imp")
    space.modules["_imp"] = guest_imp
    bootstrap = load_stdlib_as(space, "importlib/_bootstrap.py", "_frozen_importlib",
                               "<frozen importlib._bootstrap>")
    _bootstrap_import = bootstrap.__import__
    _handle_fromlist = bootstrap._handle_fromlist
    _gcd_import = bootstrap._gcd_import
    bootstrap._install(guest_sys, guest_imp)
    external = load_stdlib_as(space, "importlib/_bootstrap_external.py",
                              "_frozen_importlib_external",
                              "<frozen importlib._bootstrap_external>")
    bootstrap._install_external_importers()

    loader_class = _gilless_source_loader(space, external, bootstrap)
    guest_sys.path_hooks[:] = [external.FileFinder.path_hook(
        (loader_class, external.SOURCE_SUFFIXES))]
    space.source_loader_class = loader_class


def _gilless_source_loader(space, external, bootstrap):
    """A SourceFileLoader of the guest's that compiles through gilless and its cache."""
    from gilless.compiler import compile_guest

    call_with_frames_removed = bootstrap._call_with_frames_removed
    stdlib = os.path.join(sysconfig.get_paths()["stdlib"], "")

    class SourceFileLoader(external.SourceFileLoader):
        def get_code(self, fullname):
            path = self.get_filename(fullname)
            source = self.get_data(path)
            code_filename = path
            if fullname in FROZEN_STDLIB and path.startswith(stdlib):
                code_filename = f"<frozen {fullname}>"
            return call_with_frames_removed(space.code_cache.compile_module, source,
                                            code_filename, space.compile_options)

        def source_to_code(self, data, path, *, _optimize=-1):
            options = space.compile_options
            if _optimize != -1:
                options = options._replace(optimize=_optimize)
            return call_with_frames_removed(compile_guest, data, path, "exec", 0, options)

    SourceFileLoader.__module__ = "_frozen_importlib_external"
    return SourceFileLoader
