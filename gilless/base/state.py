"""The active guest world's per-process state, in one object installed once.

One guest world is active in a process at a time: the host's standard
streams and hooks, the import statement's fast path and the GIL mode's drop
flag serve it. What they need of it lives here, in `world`, filled in one
step by `install` when a `Space` activates. A second installation is
refused rather than replacing the first: the first world's marks on the
host (forwarding streams and hooks in the host `sys`, guest modules entered
in the host's module table) cannot be taken back, so two worlds in one
process would share them unseen.

The helpers that every thread calls (`guest_import`, the stream forwarders,
the GIL's switch, the guest's `exec`) are module-level functions that read
`world`, whose fields are fixed at installation; on a free-threaded host
they share no mutable object but the ones the guest itself shares (its
module table and namespaces). Two fields change afterwards, from the thread
that runs the main program only: where its stack begins for the guest
(`recursion_offset`, `main_base_frame`, see `gilless.module.sysmodule`).
"""

from gilless.base.hosttypes import ModuleType

# The fields of `world`.
FIELDS = (
    "installed",
    # The guest's module table, its table of built-in modules
    # (gilless.module.BuiltinModules), its `sys` and `builtins` namespaces (dicts).
    "modules", "builtin_modules", "sys", "builtins",
    # What `compile`, `exec` and `eval` of the guest compile with.
    "compile_options",
    # importlib._bootstrap's functions that the import statement calls.
    "handle_fromlist", "find_and_load", "lock_unlock_module",
    # Stack levels of gilless's beneath the guest's __main__ frame, and the frame
    # that runs it (the main thread's).
    "recursion_offset", "main_base_frame",
)


def _new_world():
    # A module object rather than an instance of a class: a free-threaded host defers
    # the reference counting of modules, so threads that read the world all the time do
    # not contend on its count. (Two threads each reading `world.modules` 2*10**6 times
    # on 3.13t, three runs: 0.29 to 0.36 s from a module, 0.33 to 0.46 s from an instance.)
    world = ModuleType("gilless.base.state.world",
                       "The active guest world's per-process state.")
    for name in FIELDS:
        setattr(world, name, None)
    world.installed = False
    world.recursion_offset = 0
    return world


class AlreadyInstalled(RuntimeError):
    """A second guest world activated in a process that has one."""


world = _new_world()


def install(*, modules, builtin_modules, sys_namespace, builtins_namespace, compile_options,
            bootstrap):
    """Make these the process's guest world; `bootstrap` is its importlib._bootstrap."""
    if world.installed:
        raise AlreadyInstalled("a guest world is already active in this process "
                               "(gilless runs one per process)")
    world.modules = modules
    world.builtin_modules = builtin_modules
    world.sys = sys_namespace
    world.builtins = builtins_namespace
    world.compile_options = compile_options
    world.handle_fromlist = bootstrap._handle_fromlist
    world.find_and_load = bootstrap._find_and_load
    world.lock_unlock_module = bootstrap._lock_unlock_module
    world.installed = True
    return world
