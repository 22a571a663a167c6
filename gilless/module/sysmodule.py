"""The guest `sys` module.

The guest has its own module table, path, import hooks, argv and flags.
Everything else is the host's: the guest runs on host threads and host
frames, so `sys._getframe`, `sys.exc_info`, `sys.settrace` and the recursion
limit of the host are the guest's too. The standard streams and the hooks
that host C code calls (`displayhook` for interactive statements,
`unraisablehook`, `breakpointhook`) are mirrored into the host `sys` when the
guest assigns them, so host `print`, `input` and the host's own error paths
use what the guest chose.
"""

import collections
import os
import sys as host_sys
import types

import gilless

# Assigned by the guest, read by host C code: kept equal in both worlds.
MIRRORED = frozenset({"stdin", "stdout", "stderr", "displayhook", "unraisablehook",
                      "breakpointhook"})

# Names the guest gets its own value for, never the host's.
GUEST_OWN = frozenset({
    "modules", "path", "meta_path", "path_hooks", "path_importer_cache", "argv", "orig_argv",
    "flags", "implementation", "builtin_module_names", "_xoptions", "warnoptions",
    "dont_write_bytecode", "pycache_prefix", "executable", "_base_executable",
    "displayhook", "__displayhook__", "excepthook", "__excepthook__", "__interactivehook__",
    "__spec__", "__loader__", "ps1", "ps2", "last_type", "last_value", "last_traceback",
    "last_exc",
})


class SysModule(types.ModuleType):
    def __setattr__(self, name, value):
        if name in MIRRORED:
            setattr(host_sys, name, value)
        types.ModuleType.__setattr__(self, name, value)


Flags = collections.namedtuple("flags", host_sys.flags.__match_args__)


def _flags(config):
    values = dict(zip(host_sys.flags.__match_args__, host_sys.flags))
    values.update(
        inspect=int(config.inspect), interactive=int(config.interactive),
        optimize=config.optimize, dont_write_bytecode=int(config.dont_write_bytecode),
        no_user_site=int(config.no_user_site or config.isolated),
        no_site=int(config.no_site), ignore_environment=int(config.ignore_environment),
        verbose=config.verbose, bytes_warning=config.bytes_warning, quiet=int(config.quiet),
        isolated=int(config.isolated), dev_mode=config.dev_mode,
        safe_path=config.safe_path or config.isolated,
    )
    if "gil" in values:
        values["gil"] = int(config.gil)
    return Flags(**values)


def _implementation():
    major, minor, micro, level, serial = gilless.VERSION_INFO
    version = types.SimpleNamespace(major=major, minor=minor, micro=micro,
                                    releaselevel=level, serial=serial)
    return types.SimpleNamespace(
        name="gilless",
        # No pyc files: gilless keeps compiled modules in its own cache.
        cache_tag=None,
        version=version,
        hexversion=(major << 24) | (minor << 16) | (micro << 8) | 0xA0,
        _multiarch=getattr(host_sys.implementation, "_multiarch", ""),
        gilless_host=host_sys.implementation.name,
    )


def _executable():
    """The gilless command beside the host interpreter, so guest subprocesses run gilless."""
    launcher = os.path.join(os.path.dirname(host_sys.executable), "gilless")
    if os.path.exists(launcher):
        return launcher
    return host_sys.executable


def guest_path(config):
    """The guest's initial sys.path: path0, PYTHONPATH, then the host's standard library."""
    import sysconfig
    paths = sysconfig.get_paths()
    stdlib = [paths["stdlib"], os.path.join(paths["platstdlib"], "lib-dynload")]
    path = []
    if config.path0 is not None:
        path.append(config.path0)
    path.extend(config.pythonpath)
    for entry in stdlib:
        if entry not in path:
            path.append(entry)
    return path


def create(space):
    config = space.config
    module = SysModule("sys", host_sys.__doc__)
    namespace = {name: value for name, value in host_sys.__dict__.items()
                 if name not in GUEST_OWN}
    module.__dict__.update(namespace)
    executable = _executable()
    module.__dict__.update(
        modules=space.modules,
        path=guest_path(config),
        meta_path=[],
        path_hooks=[],
        path_importer_cache={},
        argv=list(config.argv),
        orig_argv=list(config.orig_argv),
        flags=_flags(config),
        implementation=_implementation(),
        builtin_module_names=tuple(sorted(space.builtin_modules.names)),
        _xoptions=dict(config.xoptions),
        warnoptions=list(config.warnoptions),
        dont_write_bytecode=config.dont_write_bytecode,
        pycache_prefix=None,
        executable=executable,
        _base_executable=executable,
        displayhook=space.displayhook,
        __displayhook__=space.displayhook,
        excepthook=space.excepthook,
        __excepthook__=space.excepthook,
    )
    return module
