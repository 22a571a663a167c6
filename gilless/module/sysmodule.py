"""The guest `sys` module.

The guest has its own module table, path, import hooks, argv and flags.
Everything else is the host's: the guest runs on host threads and host
frames, so `sys.exc_info` and the frames themselves are the host's too.
The views are adjusted for gilless's own frames: the recursion limit is
offset by the stack they use beneath the guest's, `sys._getframe` skips
them, `settrace` and `setprofile` keep them from the guest's functions
(`systrace`), and `breakpointhook` imports the debugger the guest names
through the guest's imports. The standard streams and the hooks
that host C code calls (`displayhook` for interactive statements,
`unraisablehook`, `breakpointhook`) are read by host C code through
forwarders in the host `sys` (`syshostview`), so host `print`, `input` and
the host's own error paths use what the guest chose.
"""

import _thread
import os
import sys as host_sys
from _operator import index

import gilless
from gilless.module import systrace
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.structseq import new_instance, struct_sequence_type
from gilless.base import frames, hostbuild, hoststack
from gilless.base.frames import hides_frames, report_as_c_function
from gilless.base.hosttypes import ModuleType, SimpleNamespace
from gilless.base.state import world
from gilless.compiler.codegen import recursion_limit_lock

# Names the guest gets its own value for, never the host's.
GUEST_OWN = frozenset({
    "modules", "path", "meta_path", "path_hooks", "path_importer_cache", "argv", "orig_argv",
    "flags", "implementation", "builtin_module_names", "_xoptions", "warnoptions",
    "dont_write_bytecode", "pycache_prefix", "executable", "_base_executable",
    "prefix", "exec_prefix",
    "displayhook", "__displayhook__", "excepthook", "__excepthook__", "__interactivehook__",
    "breakpointhook", "__breakpointhook__",
    "__spec__", "__loader__", "ps1", "ps2", "last_type", "last_value", "last_traceback",
    "last_exc",
})


# The levels set_recursion_offset gave the calling thread's count of levels left.
_levels_given = _thread._local()


def set_recursion_offset(offset):
    """`offset`: how many levels gilless's frames take under the guest's `__main__`
    frame in the main thread (the thread calling), measured where call_at_bottom does
    not give them itself (gilless.base.hoststack.gives_bottom_levels). They are given
    to the thread's count of levels left, so that recursion fails at the same guest
    depth as in CPython, and tracebacks repeat the same count, while other threads
    keep CPython's limit; where the host's layout is not known, the host's limit is
    the guest's plus `offset` (world.recursion_offset), for every thread."""
    with recursion_limit_lock:
        given = levels_given()
        if hoststack.add_levels_left(offset - given):
            _levels_given.levels = offset
            return
        guest_limit = host_sys.getrecursionlimit() - world.recursion_offset
        world.recursion_offset = offset
        host_sys.setrecursionlimit(guest_limit + offset)


def levels_given():
    """The levels set_recursion_offset gave this thread."""
    return getattr(_levels_given, "levels", 0)


@hides_frames
def getrecursionlimit():
    # Not the raised limit of a compilation in progress (gilless.compiler.codegen).
    with recursion_limit_lock:
        return host_sys.getrecursionlimit() - world.recursion_offset


@hides_frames
def setrecursionlimit(limit, /):
    limit = index(limit)
    if limit < 1:
        host_sys.setrecursionlimit(limit)
    try:
        # Not while the compiler has the limit raised (gilless.compiler.codegen).
        with recursion_limit_lock:
            host_sys.setrecursionlimit(limit + world.recursion_offset)
    except RecursionError as error:
        # "... at the recursion depth N: the limit is too low", less this function's own
        # frame and hides_frames'. (The host counts them, where CPython's C function
        # takes no level: a limit one or two above the depth, which CPython accepts, is
        # refused. Under it this function could not be called to raise the limit back.)
        message = str(error)
        depth = int(message[message.index(" depth ") + 7:].partition(":")[0])
        depth -= world.recursion_offset + 2
        raise RecursionError(f"cannot set the recursion limit to {limit} at the recursion "
                             f"depth {depth}: the limit is too low") from None


# Set as CPython's finalization begins (after the atexit functions): what
# `sys.is_finalizing` says, the host not being in its own finalization yet.
_finalizing = False


def is_finalizing():
    return _finalizing


is_finalizing.__doc__ = host_sys.is_finalizing.__doc__


def set_finalizing():
    global _finalizing
    _finalizing = True


def set_main_base_frame(frame):
    """`frame` runs the guest's __main__ code: it and the frames beneath it do not
    exist for the guest."""
    world.main_base_frame = frame


def _getframe(depth=0, /):
    """The guest's frame `depth` calls up, counting guest frames only.

    gilless's own frames (the runner beneath `__main__`, the Python-level
    `exec` and `__import__`) are skipped, and running past the guest's
    outermost frame raises as CPython does there, so `warnings` stack levels
    and callers' globals resolve as in CPython.
    """
    try:
        frame = _guest_frame(host_sys._getframe(1), depth)
        if frame is None:
            raise ValueError("call stack is not deep enough")
        return frame
    except BaseException as error:
        # (Also what a signal's handler raises here.) Written out, not `hides_frames`:
        # a wrapper's call would cost each call of this one (`logging` makes one per
        # record) as much again.
        try:
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
        except RecursionError:
            # (At the recursion limit, with no room for a call: gilless's entries at the
            # top unlinked in place, as hides_frames' wrapper does.)
            tb = error.__traceback__
            while tb is not None and tb.tb_frame.f_builtins is frames.HOST_BUILTINS:
                tb = tb.tb_next
            error.__traceback__ = tb
        raise


def _current_frames():
    """The host's, with each thread's top frame its guest frame: a thread waiting or
    switching in gilless's code (the GIL mode's waits and switches, a guarded
    generator's lock) shows the guest frame that called it, as in CPython, and a thread
    that runs gilless's code only (none yet of the guest's) is not listed."""
    frames = {}
    for ident, frame in host_sys._current_frames().items():
        frame = systrace.guest_frame_from(frame)
        if frame is not None:
            frames[ident] = frame
    return frames


def _getframemodulename(depth=0):
    """The module of the guest's frame `depth` calls up (CPython 3.12's, which reads the
    function's module, that is its globals' `__name__`); None past the outermost."""
    try:
        frame = _guest_frame(host_sys._getframe(1), depth)
        return None if frame is None else frame.f_globals.get("__name__")
    except BaseException as error:
        error.__traceback__ = frames.without_internal_frames(error.__traceback__)
        raise


def _guest_frame(frame, depth):
    """The guest frame `depth` guest frames up from `frame`, or None."""
    if type(depth) is not int:
        depth = index(depth)
    if not -_C_INT_BOUND <= depth < _C_INT_BOUND:
        # (CPython's takes a C int.)
        raise OverflowError("Python int too large to convert to C int")
    gilless_dir = _GILLESS_DIR
    base = world.main_base_frame
    while frame is not None and frame is not base:
        if not frame.f_code.co_filename.startswith(gilless_dir):
            if depth <= 0:
                return frame
            depth -= 1
        frame = frame.f_back
    return None


_GILLESS_DIR = frames.GILLESS_DIR
_C_INT_BOUND = 1 << 31


for _function in (getrecursionlimit, setrecursionlimit, _getframe, _getframemodulename):
    _function.__module__ = "sys"
    _function.__doc__ = getattr(getattr(host_sys, _function.__name__, None), "__doc__", None)
for _function in (_getframe, _getframemodulename):
    report_as_c_function(_function)


# Fields of the host's sys.flags that are attributes but not items (`gil` on 3.13).
_FLAGS_ATTRIBUTES_ONLY = tuple(
    name for name, member in vars(type(host_sys.flags)).items()
    if type(member).__name__ == "member_descriptor" and name not in host_sys.flags.__match_args__)
Flags = struct_sequence_type("sys.flags", host_sys.flags.__match_args__, _FLAGS_ATTRIBUTES_ONLY,
                             instantiable=False)
# sys.implementation.version is of sys.version_info's type (PEP 421).
VersionInfo = struct_sequence_type("sys.version_info", host_sys.version_info.__match_args__,
                                   instantiable=False)
_RELEASE_LEVELS = {"alpha": 0xA, "beta": 0xB, "candidate": 0xC, "final": 0xF}


# From 3.13, sys.flags shows whether -i and -d are given, not how many times.
_SWITCHES_ONLY = host_sys.version_info >= (3, 13)


def _flags(config):
    values = dict(zip(host_sys.flags.__match_args__, host_sys.flags))
    inspect, debug = int(config.inspect), config.debug
    if _SWITCHES_ONLY:
        inspect, debug = min(inspect, 1), min(debug, 1)
    values.update(
        inspect=inspect, interactive=int(config.interactive),
        optimize=config.optimize, dont_write_bytecode=int(config.dont_write_bytecode),
        no_user_site=int(config.no_user_site or config.isolated),
        no_site=int(config.no_site), ignore_environment=int(config.ignore_environment),
        debug=debug, verbose=config.verbose, bytes_warning=config.bytes_warning,
        quiet=int(config.quiet),
        isolated=int(config.isolated), dev_mode=config.dev_mode,
        safe_path=config.safe_path or config.isolated,
    )
    if "int_max_str_digits" in values:
        digits = config.int_max_str_digits
        if digits == -1 and host_sys.version_info >= (3, 12):
            # From 3.12 the flag shows the limit in force, the default one included.
            digits = host_sys.int_info.default_max_str_digits
        values["int_max_str_digits"] = digits
    extra = {field: getattr(host_sys.flags, field) for field in _FLAGS_ATTRIBUTES_ONLY}
    if "gil" in extra:
        # As CPython 3.13: 1 when the GIL is asked for, 0 when refused, else the
        # host's own reading (None on a free-threaded host left to its default,
        # 1 on a default build, which always has its GIL).
        if config.gil:
            extra["gil"] = 1
        elif "gil" in config.xoptions:
            extra["gil"] = 0
    return new_instance(Flags, (values[field] for field in Flags.__match_args__), extra)


def process_getenv(name):
    """The process environment's `name`, read where CPython's C code calls getenv.

    The guest's `os.environ` writes through to the process with putenv, which no
    host API reads back, so the table its mapping keeps is read, with plain dict
    and attribute lookups: whatever the guest did to `os`, its `environ`, its
    builtins or `isinstance`, no guest code runs here. A mapping the guest put in
    place of `os.environ` is not the process environment, and is not read."""
    module = world.modules.get("os")
    data = None
    if isinstance(module, ModuleType):
        environ = _instance_dict(module).get("environ")
        if environ is not None:
            data = _instance_dict(environ).get("_data")
    if type(data) is not dict:
        return os.environ.get(name)
    value = data.get(os.environ.encodekey(name))
    return None if value is None else os.environ.decodevalue(value)


def _instance_dict(obj):
    # object's own lookup: a guest class's __getattribute__ or __dict__ property is not run.
    try:
        namespace = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        return {}
    return namespace if type(namespace) is dict else {}


def _breakpointhook(config, args, kwargs):
    """CPython's sys.breakpointhook, importing the hook through the guest's import
    system (the host's would import a host `pdb`, debugging with the host's `sys`)."""
    name = None if config.ignore_environment else process_getenv("PYTHONBREAKPOINT")
    if not name:
        name = "pdb.set_trace"
    elif name == "0":
        return None
    module_name, dot, attribute = name.rpartition(".")
    from gilless.base.hoststack import call_above
    # The frame that called breakpoint(): the hook runs above it, as CPython's C code
    # calls it (ipdb's and pudb's set_trace debug their caller's frame, `f_back`).
    caller = _guest_frame(host_sys._getframe(1), 0)
    try:
        hook = getattr(world.builtins["__import__"](module_name if dot else "builtins",
                                                    fromlist=["*"]), attribute)
    except Exception:
        # CPython's C warning, from that frame.
        import _warnings
        call_above(caller, _warnings.warn,
                   f'Ignoring unimportable $PYTHONBREAKPOINT: "{name}"', RuntimeWarning, 1)
        return None
    return call_above(caller, hook, *args, **kwargs)


def cache_tag(options=None):
    """PEP 3147's tag for gilless's compiled files: `gilless-` and the host's
    Python version as the host writes it (`gilless-311`), since what gilless
    compiles is the host's bytecode; then, where `options` (a CompileOptions)
    make code other than the host compiler's, its form (`gilless-311-gil3`, and
    on a free-threaded 3.13 host, whose default mode guards generators,
    `gilless-313-gen7`). Tools that write pyc files (py_compile, compileall,
    pip, pytest's rewritten tests) name them with it, so that another mode, or
    another version of gilless's inserted code, never reads them; gilless's own
    imports read and write its compile cache instead (gilless.compiler.codecache)."""
    host_tag = host_sys.implementation.cache_tag
    if host_tag is None:
        return None
    tag = "gilless-" + host_tag.rpartition("-")[2]
    form = options.code_form() if options is not None else ""
    return f"{tag}-{form}" if form else tag


def _implementation(options):
    major, minor, micro, level, serial = gilless.VERSION_INFO
    version = new_instance(VersionInfo, gilless.VERSION_INFO)
    return SimpleNamespace(
        name="gilless",
        cache_tag=cache_tag(options),
        version=version,
        hexversion=(major << 24) | (minor << 16) | (micro << 8)
        | (_RELEASE_LEVELS[level] << 4) | serial,
        _multiarch=getattr(host_sys.implementation, "_multiarch", ""),
        gilless_host=host_sys.implementation.name,
    )


def _executables(config):
    """sys.executable and sys._base_executable.

    The executable is the launcher that started gilless, else the `gilless` command
    beside the host interpreter (`python -m gilless`), so that guest subprocesses run
    gilless; the host interpreter only when neither exists. The base executable is the
    `gilless` command of the installation that runs: the one beside the host
    interpreter, else where the launcher's links lead. A virtual environment made by
    the guest's `venv` links to it, as CPython's links to its base interpreter."""
    beside_host = os.path.join(os.path.dirname(host_sys.executable), "gilless")
    installed = beside_host if os.path.exists(beside_host) else None
    if config.launcher is None:
        executable = installed or host_sys.executable
        return executable, executable
    return config.launcher, installed or os.path.realpath(config.launcher)


def guest_path(config):
    """The guest's initial sys.path: path0, PYTHONPATH, then the host's standard library."""
    stdlib = [hostbuild.STDLIB_ZIP, hostbuild.STDLIB, hostbuild.LIB_DYNLOAD]
    path = []
    if config.path0 is not None:
        path.append(config.path0)
    path.extend(config.pythonpath)
    for entry in stdlib:
        if entry not in path:
            path.append(entry)
    return path


def definitions(space):
    """The names of the guest `sys` that have the guest's own values; the others are the
    host's, less GUEST_OWN."""
    config = space.config

    # One object each, so `sys.excepthook is sys.__excepthook__` as in CPython; made per
    # world, as the Space they call is (called once per uncaught error or REPL value).
    def displayhook(value, /):
        return space.displayhook(value)

    def excepthook(exc_type, exc_value, exc_tb, /):
        return space.excepthook(exc_type, exc_value, exc_tb)

    def breakpointhook(*args, **kwargs):
        return _breakpointhook(config, args, kwargs)

    def _baserepl():
        return space.base_repl()

    hooks = [displayhook, excepthook, breakpointhook]
    if hasattr(host_sys, "_baserepl"):
        hooks.append(_baserepl)
    for hook in hooks:
        hook.__module__ = "sys"
        hook.__qualname__ = hook.__name__
        hook.__doc__ = getattr(host_sys, hook.__name__).__doc__
        # (Host C code calls them through gilless's forwarders, not reported, as C code's
        # calls are not.)
        report_as_c_function(hook)
    executable, base_executable = _executables(config)
    names = {
        "modules": space.modules,
        "path": guest_path(config),
        "meta_path": [],
        "path_hooks": [],
        "path_importer_cache": {},
        "argv": list(config.argv),
        "orig_argv": list(config.orig_argv),
        "flags": _flags(config),
        "implementation": _implementation(space.compile_options),
        "builtin_module_names": tuple(sorted(space.builtin_modules.names)),
        "_xoptions": dict(config.xoptions),
        "warnoptions": list(config.warnoptions),
        "dont_write_bytecode": config.dont_write_bytecode,
        "pycache_prefix": config.pycache_prefix,
        "executable": executable,
        "_base_executable": base_executable,
        # As CPython's before `site` runs: the installation's prefix, which the guest's
        # `site` replaces with a virtual environment's (pyvenv.cfg beside
        # sys.executable or one level up).
        "prefix": host_sys.base_prefix,
        "exec_prefix": host_sys.base_exec_prefix,
        "displayhook": displayhook,
        "__displayhook__": displayhook,
        "excepthook": excepthook,
        "__excepthook__": excepthook,
        "breakpointhook": breakpointhook,
        "__breakpointhook__": breakpointhook,
        "getrecursionlimit": getrecursionlimit,
        "_getframe": _getframe,
        "_current_frames": BuiltinFunction(_current_frames, shown=host_sys._current_frames),
        "setrecursionlimit": setrecursionlimit,
        # Not a binding function: classes keep it as an attribute (test_sys does).
        "is_finalizing": BuiltinFunction(is_finalizing, "sys"),
        **systrace.definitions(),
    }
    if hasattr(host_sys, "_baserepl"):
        # 3.13: the basic REPL, which the new one falls back to.
        names["_baserepl"] = _baserepl
    if config.gil and hasattr(host_sys, "_is_gil_enabled"):
        names["_is_gil_enabled"] = _is_gil_enabled_in_gil_mode
    if hasattr(host_sys, "_getframemodulename"):
        names["_getframemodulename"] = _getframemodulename
    return names


def create(space):
    module = ModuleType("sys", host_sys.__doc__)
    module.__dict__.update((name, value) for name, value in host_sys.__dict__.items()
                           if name not in GUEST_OWN)
    module.__dict__.update(definitions(space))
    return module


def _is_gil_enabled_in_gil_mode():
    """The GIL mode is a GIL for the guest, also on a free-threaded host."""
    return True


_is_gil_enabled_in_gil_mode.__name__ = _is_gil_enabled_in_gil_mode.__qualname__ = "_is_gil_enabled"
_is_gil_enabled_in_gil_mode.__module__ = "sys"
