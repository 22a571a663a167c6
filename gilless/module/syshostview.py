"""What the host's `sys` shows host C code while a guest world is active.

Host C code that the guest calls reads the host's `sys`: `print` and
`input` its standard streams, the error display `sys.stderr`, interactive
statements `sys.displayhook`, `breakpoint()` `sys.breakpointhook`, and
unraisable errors `sys.unraisablehook`. Each of these host attributes is
set once to a forwarder that looks up the guest's current value at every
use, so whatever the guest assigns to its `sys` is what host C code uses.

The guest `sys` itself stays a plain module: a module subclass that copied
assignments across would be `type(sys)`, which the standard library takes
as `types.ModuleType` and which importlib instantiates for every module.
Forwarding costs one Python call per stream write, paid only by host code.
"""

import sys as host_sys

from gilless.base import hostbuild
from gilless.base.frames import HOST_BUILTINS, is_internal, without_internal_frames
from gilless.base.hoststack import call_above
from gilless.base.hosttypes import FunctionType, TracebackType
from gilless.base.state import world
from gilless.module.systrace import guest_frame_from


# A `sys` attribute the guest deleted, told from one it set to None.
_MISSING = object()


def _lost(name):
    # What CPython's C code raises when it finds the attribute gone.
    return RuntimeError(f"lost sys.{name}")


class GuestStream:
    """Stands in the host's sys for the guest's stream `name`.

    What the guest's stream raises reaches the guest as if host C code had
    called the stream itself: without this forwarder's frame."""

    def __init__(self, name):
        self._name = name

    def _target(self):
        return world.sys.get(self._name)

    def write(self, text):
        target = world.sys.get(self._name, _MISSING)
        # CPython's print() and error display skip a stream set to None.
        if target is None:
            return len(text)
        try:
            if target is _MISSING:
                raise _lost(self._name)
            if _in_python(type(target), "write"):
                # The program's own `write` runs above the frame that printed, as when
                # CPython's C code calls it (it may look at its callers).
                return call_above(guest_frame_from(host_sys._getframe(1)), target.write,
                                  text)
            return target.write(text)
        except BaseException as error:
            try:
                error.__traceback__ = without_internal_frames(error.__traceback__)
            except RecursionError:
                # (At the recursion limit, with no room for a call: gilless's entries at the
                # top unlinked in place, as hides_frames' wrapper does.)
                tb = error.__traceback__
                while tb is not None and tb.tb_frame.f_builtins is HOST_BUILTINS:
                    tb = tb.tb_next
                error.__traceback__ = tb
            raise

    def flush(self):
        target = world.sys.get(self._name)
        # CPython's exit flushes no stream that is None or missing.
        if target is None:
            return None
        try:
            if _in_python(type(target), "flush"):
                return call_above(guest_frame_from(host_sys._getframe(1)), target.flush)
            return target.flush()
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise

    def fileno(self):
        """The guest stream's; C code that asks for it (faulthandler, given no file)
        checks first, as CPython's, that `sys.stderr` is there and not None."""
        target = world.sys.get(self._name, _MISSING)
        try:
            if target is None:
                raise RuntimeError(f"sys.{self._name} is None")
            if target is _MISSING:
                if self._name != "stderr":
                    raise _lost(self._name)
                raise RuntimeError(_missing_stream_message(self._name))
            return target.fileno()
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise

    def __getattr__(self, attribute):
        target = world.sys.get(self._name)
        if target is None:
            raise _lost(self._name)
        return getattr(target, attribute)

    def __repr__(self):
        return f"<gilless view of the guest's sys.{self._name}: {self._target()!r}>"


# (Stream type, method name) -> whether the method is Python code (a class of the
# program's), looked up once per type: the standard streams' and StringIO's are C
# methods, called directly.
_python_methods = {}


def _in_python(kind, name):
    answer = _python_methods.get((kind, name))
    if answer is None:
        answer = _python_methods[kind, name] = type(getattr(kind, name, None)) is FunctionType
    return answer


_missing_stream_messages = {}


def _missing_stream_message(name):
    """What the host's faulthandler says of a missing `sys.stderr` ("unable to get
    sys.stderr", or "lost sys.stderr" in later 3.13 releases, 3.13.5's): asked of
    the host once, with its own `sys.stderr` removed for that call, while the
    guest's is missing too (C code that reads it meanwhile finds it missing either
    way). Only for stderr: faulthandler writes there."""
    message = _missing_stream_messages.get(name)
    if message is None:
        import faulthandler
        saved = getattr(host_sys, name)
        delattr(host_sys, name)
        try:
            faulthandler.dump_traceback(all_threads=False)
        except RuntimeError as error:
            message = str(error)
        finally:
            setattr(host_sys, name, saved)
        _missing_stream_messages[name] = message = message or _lost(name).args[0]
    return message


def _from_caller(hook, *args, **kwargs):
    """The program's `hook(*args, **kwargs)`, called above the program's frame that the
    forwarder calling this was called from, as CPython calls the hook from there (or
    plainly, where the host called the forwarder from no frame: at exit)."""
    try:
        caller = guest_frame_from(host_sys._getframe(2))
    except ValueError:
        caller = None
    if caller is None:
        return hook(*args, **kwargs)
    return call_above(caller, hook, *args, **kwargs)


def displayhook(value):
    hook = world.sys.get("displayhook", _MISSING)
    try:
        if hook is _MISSING:
            raise _lost("displayhook")
        return _from_caller(hook, value)
    except BaseException as error:
        error.__traceback__ = without_internal_frames(error.__traceback__)
        raise


def unraisablehook(unraisable):
    """CPython's handling of an unraisable error: the guest's hook, the default one when
    the hook is None or missing, and the default one reporting the hook's own failure."""
    unraisable = _as_from_guest_code(unraisable)
    hook = world.sys.get("unraisablehook")
    if hook is None:
        return host_sys.__unraisablehook__(unraisable)
    try:
        _from_caller(hook, unraisable)
    except BaseException as error:
        tb = without_internal_frames(error.__traceback__)
        failure = type(unraisable)((type(error), error, tb,
                                    "Exception ignored in sys.unraisablehook", hook))
        _default_unraisable(failure)
    return None


def _default_unraisable(unraisable):
    # CPython's last resort, whose own failure (a broken sys.stderr) is dropped.
    try:
        host_sys.__unraisablehook__(unraisable)
    except Exception:
        pass


# The host's sys.UnraisableHookArgs, which only C code names: found by
# `find_unraisable_args_type`, before any guest thread starts.
_unraisable_args_type = None


def find_unraisable_args_type():
    global _unraisable_args_type
    if _unraisable_args_type is not None:
        return
    captured = []

    class _FailsWhenDeleted:
        def __del__(self):
            raise RuntimeError

    hook = host_sys.unraisablehook
    host_sys.unraisablehook = captured.append
    try:
        _FailsWhenDeleted()
    finally:
        host_sys.unraisablehook = hook
    _unraisable_args_type = type(captured.pop())


def _as_from_guest_code(unraisable):
    """An error that host C code reported as unraisable, with gilless's frames out of its
    traceback: where C code that gilless calls for the guest reports one (3.13's
    `_thread._shutdown` a Ctrl-C while it waits, under the GIL mode's wrapper), CPython's
    C code ran from the guest's frame, which its traceback then shows."""
    tb = unraisable.exc_traceback
    if type(tb) is not TracebackType:
        return unraisable
    last = tb
    while last.tb_next is not None:
        last = last.tb_next
    kept = without_internal_frames(tb)
    if kept is tb:
        return unraisable
    if kept is None:
        frame = last.tb_frame
        while frame is not None and is_internal(frame):
            frame = frame.f_back
        if frame is not None:
            kept = TracebackType(None, frame, frame.f_lasti, frame.f_lineno)
    return type(unraisable)((unraisable.exc_type, unraisable.exc_value, kept,
                             unraisable.err_msg, unraisable.object))


def write_unraisable(error, message, culprit):
    """CPython's PyErr_WriteUnraisable for an error gilless caught where CPython's C code
    would: through the guest's sys.unraisablehook, to the guest's sys.stderr."""
    find_unraisable_args_type()
    unraisablehook(_unraisable_args_type(
        (type(error), error, without_internal_frames(error.__traceback__), message, culprit)))


def breakpointhook(*args, **kwargs):
    hook = world.sys.get("breakpointhook", _MISSING)
    try:
        if hook is _MISSING:
            raise _lost("breakpointhook")
        return _from_caller(hook, *args, **kwargs)
    except BaseException as error:
        error.__traceback__ = without_internal_frames(error.__traceback__)
        raise


def flush_host_streams():
    """Flush the host's standard streams, whatever they hold (the guest's may be broken)."""
    for stream in (host_sys.stdout, host_sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def exit_now(status):
    """End the process at once, with what was written so far flushed."""
    import os
    flush_host_streams()
    os._exit(status)


def host_stream(name):
    """The host's own stream `name`, also when a guest world was active before."""
    stream = getattr(host_sys, name)
    if isinstance(stream, GuestStream):
        stream = stream._target()
    return stream


# From 3.13 CPython's display of an exception (PyErr_Display) is the `traceback`
# module's, the program's own: what its import finds, which reads the program's
# `linecache` (the source of generated code) and `_colorize`.
DISPLAY_IMPORTS_TRACEBACK = host_sys.version_info >= (3, 13)


def display_through_guest_traceback(exc):
    """CPython 3.13's display: `traceback._print_exception_bltin(exc)`, the module
    imported as PyImport_Import does (through the `__import__` of the calling guest
    frame's builtins; where none runs, of the `builtins` module), run above that frame.
    False where a step fails or raises, as CPython then prints with its C code."""
    caller = guest_frame_from(host_sys._getframe(1))
    try:
        if caller is not None:
            namespace = caller.f_globals
            builtins = namespace["__builtins__"]
        else:
            builtins = world.modules["builtins"]
            namespace = {"__builtins__": builtins}
        if type(builtins) is dict:
            guest_import = builtins["__import__"]
        else:
            guest_import = builtins.__import__
        # (Called from here: gilless's `__import__` looks for its caller's frame.)
        guest_import("traceback", namespace, namespace, [], 0)
        display = world.modules["traceback"]._print_exception_bltin
        if not callable(display):
            return False
        call_above(caller, display, exc)
    except BaseException:
        return False
    return True


def guest_stderr():
    return world.sys.get("stderr") if world.installed else None


def install():
    """Point the host's sys at the installed world's (whose streams start as the host's own)."""
    for name in ("stdin", "stdout", "stderr"):
        setattr(host_sys, name, GuestStream(name))
    host_sys.displayhook = displayhook
    host_sys.unraisablehook = unraisablehook
    host_sys.breakpointhook = breakpointhook


def write_error_stream(text):
    """Write to the process's error stream, as CPython's C-level messages do, whatever
    the guest's sys.stderr is."""
    try:
        host_sys.__stderr__.write(text)
        host_sys.__stderr__.flush()
    except Exception:
        pass


# CPython 3.13's PyConfig up to `sys_path_0` (Include/cpython/initconfig.h), on a
# 64-bit host that is not Windows: (field name, C type) in order, "wstrlist" for a
# PyWideStringList; `enable_gil` only in a free-threaded build.
_CONFIG_313 = (
    [("_config_init", "int"), ("isolated", "int"), ("use_environment", "int"),
     ("dev_mode", "int"), ("install_signal_handlers", "int"), ("use_hash_seed", "int"),
     ("hash_seed", "ulong"), ("faulthandler", "int"), ("tracemalloc", "int"),
     ("perf_profiling", "int"), ("import_time", "int"), ("code_debug_ranges", "int"),
     ("show_ref_count", "int"), ("dump_refs", "int"), ("dump_refs_file", "wstr"),
     ("malloc_stats", "int"), ("filesystem_encoding", "wstr"), ("filesystem_errors", "wstr"),
     ("pycache_prefix", "wstr"), ("parse_argv", "int"), ("orig_argv", "wstrlist"),
     ("argv", "wstrlist"), ("xoptions", "wstrlist"), ("warnoptions", "wstrlist"),
     ("site_import", "int"), ("bytes_warning", "int"), ("warn_default_encoding", "int"),
     ("inspect", "int"), ("interactive", "int"), ("optimization_level", "int"),
     ("parser_debug", "int"), ("write_bytecode", "int"), ("verbose", "int"),
     ("quiet", "int"), ("user_site_directory", "int"), ("configure_c_stdio", "int"),
     ("buffered_stdio", "int"), ("stdio_encoding", "wstr"), ("stdio_errors", "wstr"),
     ("check_hash_pycs_mode", "wstr"), ("use_frozen_modules", "int"), ("safe_path", "int"),
     ("int_max_str_digits", "int"), ("cpu_count", "int")]
    + ([("enable_gil", "int")] if hostbuild.FREE_THREADED_BUILD else [])
    + [("pathconfig_warnings", "int"), ("program_name", "wstr"), ("pythonpath_env", "wstr"),
       ("home", "wstr"), ("platlibdir", "wstr"), ("module_search_paths_set", "int"),
       ("module_search_paths", "wstrlist"), ("stdlib_dir", "wstr"), ("executable", "wstr"),
       ("base_executable", "wstr"), ("prefix", "wstr"), ("base_prefix", "wstr"),
       ("exec_prefix", "wstr"), ("base_exec_prefix", "wstr"),
       ("skip_source_first_line", "int"), ("run_command", "wstr"), ("run_module", "wstr"),
       ("run_filename", "wstr"), ("sys_path_0", "wstr")])


def show_sys_path_0(path0):
    """From 3.13, the hint of an AttributeError from a module that may shadow another
    of its name ("consider renaming '.../fractions.py' since it has the same name
    as the standard library module") is host C code's, which compares the
    module's directory with the interpreter's configured `sys.path[0]`
    (`PyConfig.sys_path_0`): there, the guest's (`path0`, None for none) instead
    of the host's own (the gilless command's directory). Only where the
    configuration's layout is the one above, checked against what the host's
    `sys` says of it; elsewhere the host's stays. (Read and written through
    hoststack's views of memory: importing `ctypes` would cost every start-up on
    3.13 about 3 ms.)"""
    if host_sys.version_info[:2] != (3, 13) or host_sys.platform == "win32" or \
            host_sys.maxsize < 2 ** 32:
        return
    from gilless.base import hoststack
    host = hoststack.memory()
    words, ints = host.words, host.ints
    config = host.function("_Py_GetConfig")()
    offsets = config_offsets()

    def field(name):
        offset, kind = offsets[name]
        address = config + offset
        if kind == "int":
            return ints[address >> 2]
        return _wide_string(ints, words[address >> 3])

    if not (field("executable") == host_sys.executable
            and field("base_prefix") == host_sys.base_prefix
            and field("base_exec_prefix") == host_sys.base_exec_prefix
            and field("safe_path") == host_sys.flags.safe_path
            and field("int_max_str_digits") == host_sys.flags.int_max_str_digits):
        return
    if path0 is None:
        replacement = 0
    else:
        # A wchar_t is 4 bytes here (not Windows). The host frees the copy with the
        # rest of its configuration at exit.
        characters = [ord(character) for character in path0] + [0]
        replacement = host.function("PyMem_RawMalloc")(host.size_t(4 * len(characters)))
        if not replacement:
            return
        for index, character in enumerate(characters, replacement >> 2):
            ints[index] = character
    # (The host's own string stays allocated: nothing else may hold it, but its
    # configuration is the host's to free.)
    words[(config + offsets["sys_path_0"][0]) >> 3] = replacement


# Sizes (and alignments) of _CONFIG_313's C types on a 64-bit host.
_C_SIZES = {"int": (4, 4), "ulong": (8, 8), "wstr": (8, 8), "wstrlist": (16, 8)}


def config_offsets():
    """_CONFIG_313's fields: name -> (offset in PyConfig, C type), laid out as a C
    compiler lays out the structure."""
    offsets = {}
    offset = 0
    for name, kind in _CONFIG_313:
        size, alignment = _C_SIZES[kind]
        offset = -(-offset // alignment) * alignment
        offsets[name] = offset, kind
        offset += size
    return offsets


def _wide_string(ints, address):
    """The NUL-terminated wchar_t string at `address` (None for NULL)."""
    if not address:
        return None
    start = index = address >> 2
    while ints[index]:
        index += 1
    return "".join(map(chr, ints[start:index]))
