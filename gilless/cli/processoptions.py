"""The settings that belong to the process, given to the guest through the host.

faulthandler, tracemalloc and the limit on int-to-str digits are the host's
C modules and interpreter state, which the guest shares: they are switched
on here, with the guest's values, before the guest world is built. The host
has read the PYTHON* environment variables for them already, so under -E or
-I what it set up from them is withdrawn again.

The development mode's debug hooks on the memory allocators, UTF-8 mode,
the EncodingWarning of `open()` without an encoding, the compiler's column
positions (`no_debug_ranges`), `cpu_count` and `perf` are read by the
host's C code from its start-up configuration, which nothing changes
afterwards. When the guest asks for other values than the host started
with, gilless runs the host again (exec, same process) with the options
that give them: a start-up paid twice, only by those command lines. The
alternative, Python wrappers around `open`, `io.TextIOWrapper`, the
compiler and the locale functions, would give the guest other types than
CPython's, and could not reach what host C code reads.
"""

import os
import sys as host_sys

from gilless.base import hostbuild

# The environment variables from which the host set up faulthandler, tracemalloc and
# the digits limit as it started.
_HOST_READ = ("PYTHONFAULTHANDLER", "PYTHONTRACEMALLOC", "PYTHONINTMAXSTRDIGITS",
              "PYTHONDEVMODE")


# -X options that the host's C code reads from its start-up configuration only, and the
# environment variables for them: the development mode's debug hooks on the memory
# allocators, UTF-8 mode, EncodingWarning from `open()`, the compiler's column
# positions, os.cpu_count (3.13), the perf profiler's support (3.12).
# A host that does not know one ignores it, as the CPython it is would.
HOST_STARTUP_XOPTIONS = ("dev", "utf8", "warn_default_encoding", "no_debug_ranges", "cpu_count",
                         "perf", "perf_jit")
# PYTHONWARNINGS too: the host's `warnings` module adds its filters as the host starts,
# to the list of the C `_warnings` module, which the guest's `warnings` shares; and
# what the host alone reads for both: the hash seed, the standard streams' encoding,
# the memory allocators.
HOST_STARTUP_VARIABLES = ("PYTHONDEVMODE", "PYTHONUTF8", "PYTHONWARNDEFAULTENCODING",
                          "PYTHONNODEBUGRANGES", "PYTHON_CPU_COUNT", "PYTHONPERFSUPPORT",
                          "PYTHON_PERF_JIT_SUPPORT", "PYTHONWARNINGS", "PYTHONHASHSEED",
                          "PYTHONIOENCODING", "PYTHONMALLOC")
_ABSENT = object()


def restart_options(config):
    """The host options to run again with, or [] when the host already has the guest's.

    The guest's -X options of these kinds are given to the host as they are, so the host
    takes them, or refuses a bad value, exactly as the CPython it is."""
    options = []
    for name in HOST_STARTUP_XOPTIONS:
        value = config.xoptions.get(name, _ABSENT)
        if value is not _ABSENT and host_sys._xoptions.get(name, _ABSENT) != value:
            options += ["-X", name if value is True else f"{name}={value}"]
    if config.bytes_warning > host_sys.flags.bytes_warning:
        # -b, -bb: the host's C code (str(bytes), bytes == str) checks its own flag.
        options.append("-" + "b" * config.bytes_warning)
    if (config.ignore_environment and not host_sys.flags.ignore_environment
            and any(os.environ.get(name) for name in HOST_STARTUP_VARIABLES)):
        # Read by the host, ignored by the guest: the host must ignore them too.
        options.append("-E")
    if (config.xoptions.get("gil") == "0" and hostbuild.FREE_THREADED_BUILD
            and host_sys._xoptions.get("gil") != "0"):
        # -X gil=0 also means what it means to CPython: a free-threaded host keeps its
        # GIL disabled when an extension module that has not declared that it can run
        # without it is loaded (PYTHON_GIL=0 in the environment reaches it by itself).
        options += ["-X", "gil=0"]
    return options


def restart_host(options):
    """Run this command line again in this process, with the host given `options`."""
    for stream in (host_sys.stdout, host_sys.stderr):
        stream.flush()
    os.execv(host_sys.executable, [host_sys.executable] + options + host_sys.orig_argv[1:])


def apply(config):
    """Give the process the guest's faulthandler, tracemalloc and digits limit."""
    environment_read = not host_sys.flags.ignore_environment and any(
        os.environ.get(name) for name in _HOST_READ)
    limit = config.int_max_str_digits
    if limit == -1:
        limit = host_sys.int_info.default_max_str_digits
    if host_sys.get_int_max_str_digits() != limit:
        host_sys.set_int_max_str_digits(limit)
    if config.faulthandler or config.dev_mode:
        import faulthandler
        if not faulthandler.is_enabled():
            faulthandler.enable()
    elif environment_read:
        import faulthandler
        faulthandler.disable()
    if config.tracemalloc or environment_read:
        import _tracemalloc
        if config.tracemalloc:
            if _tracemalloc.get_traceback_limit() != config.tracemalloc:
                _tracemalloc.stop()
            if not _tracemalloc.is_tracing():
                _start_tracemalloc(_tracemalloc, config.tracemalloc)
        elif _tracemalloc.is_tracing():
            # Started again and stopped: the traceback limit returns to its default.
            _tracemalloc.stop()
            _tracemalloc.start(1)
            _tracemalloc.stop()


def _start_tracemalloc(_tracemalloc, frames):
    from gilless.cli.options import FatalError
    try:
        _tracemalloc.start(frames)
    except ValueError as error:
        raise FatalError("init_interp_main: can't initialize tracemalloc",
                         f"core initialized\nValueError: {error}") from None
