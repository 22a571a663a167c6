"""Built-in modules: what the guest imports where CPython has C code.

Each gilless-implemented module is a file here exposing `create(space)`,
which returns a fresh module object for the guest, and `definitions`, the
one table of the names whose values are gilless's (as PyPy's `moduledef.py`
lists a module's names); `sys`, `builtins` and `_thread` start from a copy
of the host module's namespace, `_imp` from nothing. Modules whose host C
implementation works unchanged on guest objects (guest objects are host
objects) are re-exported from the host by `hostmodules`: as a copy where
gilless uses the module too or changes the guest's (so the guest and gilless
never share a module namespace), else the host module itself.
"""

from gilless.module import hostmodules

# Guest module name -> the gilless module that builds it.
OWN_MODULES = {
    "sys": "gilless.module.sysmodule",
    "builtins": "gilless.module.builtinsmodule",
    "_imp": "gilless.module.impmodule",
    "_thread": "gilless.module.threadmodule",
}


class BuiltinModules:
    """The table of built-in modules of one guest world."""

    def __init__(self, space):
        self.space = space
        self.names = frozenset(OWN_MODULES) | hostmodules.available_names()
        if space.tool is not None:
            self.names |= space.tool.guest_modules.keys()

    def __contains__(self, name):
        return name in self.names

    def create(self, name):
        implementation = OWN_MODULES.get(name)
        if self.space.tool is not None and name in self.space.tool.guest_modules:
            return self.space.tool.guest_modules[name]()
        host_module = None
        if implementation is not None:
            module = __import__(implementation, fromlist=("create",)).create(self.space)
        else:
            host_module, module = hostmodules.host_module_and_copy(name)
        if self.space.gil is not None:
            # The GIL mode makes the guest's copy release the GIL where it blocks.
            self.space.gil.patch_module(name, module)
        if self.space.tool is not None:
            # A tool observes (or controls) the guest's synchronisation primitives.
            self.space.tool.patch_module(name, module)
        if self.space.generator_guard is not None:
            # C functions that take a host generator get the guarded one's.
            self.space.generator_guard.patch_module(name, module)
        if self.space.crash_guard is not None:
            # C functions that crash the host when threads share their arguments.
            self.space.crash_guard.patch_module(name, module)
        elif name == "_thread" and self.space.thread_guard is not None:
            self.space.thread_guard(module)
        if name == "_sqlite3" and self.space.sqlite_guard is not None:
            self.space.sqlite_guard(module)
        if host_module is not None and hostmodules.is_the_guests(name, host_module, module):
            return host_module
        return module
