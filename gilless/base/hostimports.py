"""Host standard library modules that gilless needs on some paths only, imported there.

Every module imported as gilless starts costs every start-up: `traceback`
(with `linecache`, `tokenize` and `textwrap`) and `re` (with `enum`) were
about a fifth of gilless's own start-up on CPython 3.11, for printing an
uncaught exception and reading a few texts that most programs never give.

Imported once the guest world exists, a host module would resolve its own
imports in a host module table that may hold guest modules by then
(gilless.module.hostmodules and gilless.objspace.importing enter guest
modules there for host C code), and would keep the guest's `collections`
or `re` for good. `host_module` therefore imports with the guest's modules
set aside and puts them back afterwards. While it imports (once per module
and process), host C code on another thread that looks a guest module up
in the host's table by name does not find it there, and imports the
host's own; gilless's lazy imports are on paths where that is rare (an
uncaught exception, a tool's report of one, an undecodable script, the
REPL's tokenizer). A gilless module that imports one of these at its top
and is itself imported after guest code has run would take the guest's
modules: such imports go through `host_module`.
"""

import builtins as host_builtins
import sys as host_sys
import _thread

_HOST_BUILTINS = (host_builtins, host_builtins.__dict__)
_MODULE = type(host_sys)

_lock = _thread.RLock()
# The host's modules that host_module imported or found, by name.
_found = {}


def is_guest_module(module):
    """Whether `module`, an entry of the host's module table, is a guest module: its
    code ran with the guest's builtins (a host C module runs no Python code)."""
    if not isinstance(module, _MODULE):
        return False
    try:
        namespace = object.__getattribute__(module, "__dict__")
    except AttributeError:
        return False
    found = namespace.get("__builtins__")
    return found is not None and not any(found is builtins for builtins in _HOST_BUILTINS)


def host_module(name):
    """The host's module `name` (a standard library module that gilless itself uses),
    imported now if no host code has imported it yet."""
    module = _found.get(name)
    if module is not None:
        return module
    with _lock:
        module = host_sys.modules.get(name)
        if module is None or is_guest_module(module):
            module = _import_without_guest_modules(name)
        _found[name] = module
    return module


def _import_without_guest_modules(name):
    modules = host_sys.modules
    set_aside = {key: module for key, module in list(modules.items())
                 if is_guest_module(module)}
    for key in set_aside:
        del modules[key]
    try:
        __import__(name)
        return modules[name]
    finally:
        modules.update(set_aside)
