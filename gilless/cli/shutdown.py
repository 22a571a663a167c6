"""The end of a run, in the order of CPython's finalization as the guest sees it.

Non-daemon guest threads are joined, then the atexit functions run, then
stdout and stderr are flushed: a flush that fails gives CPython's exit
status 120 and its "Exception ignored" report. Then the signals' Python
handlers are dropped, a collection runs, and the guest's modules are cleared
as CPython clears them, so that the objects they hold are finalized while
the streams work, and the streams are flushed again. After an uncaught
KeyboardInterrupt the process ends by SIGINT, so that a shell or parent
process sees an interrupted program, as with CPython.
"""

import _signal as host_signal
import _thread as host_thread
import gc
import os
import sys as host_sys
from _io import _IOBase
from _weakref import ref as weak_reference

from gilless.base import hoststack
from gilless.base.hostimports import host_module
from gilless.base.frames import without_internal_frames
from gilless.base.hosttypes import ModuleType
from gilless.module import hostmodules, sysmodule, threadmodule
from gilless.module.syshostview import exit_now, write_unraisable

EXIT_BROKEN_STREAM = 120


def finish(space, outcome):
    """CPython's finalization as the guest sees it: wait for guest threads, run the atexit
    functions, flush the standard streams, finalize the modules; then the exit
    status."""
    threading = space.modules.get("threading")
    if threading is not None and hasattr(threading, "_shutdown"):
        try:
            threading._shutdown()
        except BaseException as error:
            # CPython's wait_for_thread_shutdown: the error (a Ctrl-C) is unraisable,
            # and the exit goes on without waiting any longer.
            if host_sys.version_info >= (3, 13):
                write_unraisable(error, None, None)
            else:
                write_unraisable(error, None, threading)
        else:
            if space.tool is not None:
                from gilless.instrument import sync
                sync.threads_shut_down()
    _run_exit_functions()
    _begin_finalizing(space)
    if space.gil is not None:
        space.gil.release_for_exit()
    status = outcome.status
    _leave_threads_behind(space)
    if space.tool is not None:
        status = space.tool.finish(status)
    flushed = flush_standard_streams(space)
    if not flushed:
        status = EXIT_BROKEN_STREAM
        # The host's own exit would fail on the same data and report it again.
        host_sys.stdout = None
    # One run of an exploration ends at once (below): the host's own finalization is
    # its slowest part, and nothing of it reaches the guest any more.
    exploring = getattr(space.tool, "skips_host_exit", False)
    if not exploring:
        _before_finalizing_modules()
        if _finalize_modules(space) and flushed and not flush_standard_streams(space):
            status = EXIT_BROKEN_STREAM
            host_sys.stdout = None
    _flush_original_streams()
    if outcome.interrupted:
        return exit_by_sigint()
    if exploring:
        exit_now(status)
    return status


def _before_finalizing_modules():
    """What CPython's finalization does between its first flush of the streams and
    finalize_modules: the signals that have a Python handler (the default SIGINT
    handler too) take their default action again (_PySignal_Fini), so that no
    handler keeps its module alive and a signal now ends the process as the system
    would; then a collection runs, the only one of the exit that calls
    `gc.callbacks` (none if the collector is disabled)."""
    for number in range(1, host_signal.NSIG):
        try:
            handler = host_signal.getsignal(number)
        except ValueError:
            continue
        if handler not in (None, host_signal.SIG_DFL, host_signal.SIG_IGN):
            host_signal.signal(number, host_signal.SIG_DFL)
    if gc.isenabled():
        hoststack.call_at_bottom(gc.collect)
    gc.callbacks.clear()


def _begin_finalizing(space):
    """What the guest sees of CPython's finalization once the atexit functions have
    run: `sys.is_finalizing()` is True, and from 3.12 no new thread starts."""
    sysmodule.set_finalizing()
    thread_module = space.modules.get("_thread")
    if isinstance(thread_module, ModuleType):
        threadmodule.refuse_new_threads(thread_module, space.modules.get("threading"))


def _flush_original_streams():
    """CPython's finalization destroys the streams it made at start-up (the guest's
    `sys.__stdout__` and `__stderr__` are the host's), which flushes what they hold,
    also after a program's replacement of `sys.stdout` failed to flush; an error then
    goes unreported."""
    for stream in (host_sys.__stdout__, host_sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass


def _leave_threads_behind(space):
    """CPython waits for non-daemon threads once, above, and not again, so one Ctrl-C
    ends that wait and the program. A host whose `_thread` keeps every thread it started
    to wait for at exit (`_thread._shutdown`, 3.13) shares that list with the guest, and
    its own exit would wait for the guest's threads a second time: its wait is
    withdrawn. gilless starts no host thread that its exit needs to wait for."""
    if not hasattr(host_thread, "_shutdown"):
        return
    host_threading = host_sys.modules.get("threading")
    if host_threading is not None and host_threading is not space.modules.get("threading"):
        host_threading._shutdown = _no_wait


def _no_wait():
    pass


# What CPython's finalize_modules_delete_special sets to None (the last exception's
# traceback would keep `__main__` alive), and the streams it sets back to the original.
_SYS_CLEARED = ("path", "argv", "ps1", "ps2", "last_exc", "last_type", "last_value",
                "last_traceback", "path_hooks", "path_importer_cache", "meta_path",
                "__interactivehook__")
_SYS_STREAMS = ("stdin", "stdout", "stderr")


def _finalize_modules(space):
    """What CPython's finalize_modules does that a program sees: with the standard
    streams and builtins as the program found them, the modules leave the module
    table and are collected, their objects finalized while printing still works
    (a buffered file a module opened is flushed); the modules that something still
    holds have their names set to None, those with one leading underscore first,
    and `sys` and `builtins` last. True if it ran.

    Left as they are: the modules the host's module table also holds (the host C
    modules the guest shares, and the guest modules that host C code looks up
    there), and the standard codecs, whose search function the host's codec
    registry calls until its own exit. Skipped while guest daemon threads still run
    (CPython stops them first; gilless cannot, and they would see their modules
    vanish). Under a tool, which has given its verdict by now, the finalizers run
    unobserved."""
    modules = space.modules
    if host_thread._count():
        _flush_module_files(modules)
        return False
    namespace = vars(space.sys)
    special = {name: None for name in _SYS_CLEARED if name in namespace}
    special.update((name, namespace.get(f"__{name}__")) for name in _SYS_STREAMS)
    # (What they held is dropped with no Python frame beneath, as below.)
    hoststack.call_at_bottom(namespace.update, special)
    # The finished runner's frame, kept for the guest's stack walks, holds `__main__`.
    sysmodule.set_main_base_frame(None)
    # A tool that holds the program's objects (the race detector) lets go of them.
    release_objects = getattr(space.tool, "release_objects", None)
    if release_objects is not None:
        release_objects()
    # CPython finalizes with its module table gone: its display of an exception that a
    # finalizer raises finds no `io` to read the source lines with, and shows none.
    # The host's display asks the host's table.
    host_io = host_sys.modules.get("io")
    host_sys.modules["io"] = None
    try:
        _clear_modules(space)
    finally:
        host_sys.modules["io"] = host_io
    return True


def _flush_module_files(modules):
    """With daemon threads still running the modules stay as they are, but what emptying
    them writes is written: the buffer of each file that a module's namespace names
    (CPython closes it there; a daemon thread may still use it, so it is flushed only,
    under the file's own lock). Each as C code's call, with no Python frame beneath."""
    for module in list(modules.values()):
        if not issubclass(type(module), ModuleType):
            continue
        for value in list(_module_namespace(module).values()):
            if issubclass(type(value), _IOBase):
                try:
                    hoststack.call_at_bottom(value.flush)
                except Exception:
                    pass


def _clear_modules(space):
    """CPython's finalize_remove_modules, finalize_restore_builtins, its collection,
    finalize_modules_clear_weaklist for the modules that are left, in the reverse of
    the order of import (so a program's `threading` is emptied before `__main__`, and
    a thread object that `__main__` still holds then has no `_dangling` set to
    leave), and finalize_clear_sys_builtins_dict.

    What is finalized here is dropped by C code with no Python frame beneath it,
    as in CPython's finalization (`call_at_bottom`): a warning its `__del__` or its
    deallocation raises is `sys:1`'s, and a `__del__`'s frame is the bottom."""
    modules = space.modules
    hostmodules.withdraw_program_modules()
    # (By `object.__hash__`, which tells objects apart as `id` does but raises no audit
    # event for a guest's hook to see or refuse.)
    shared = {object.__hash__(module) for module in list(host_sys.modules.values())}
    entries = dict(modules)
    # (Told by their types, as CPython's PyModule_Check: `isinstance` would read the
    # `__class__` of the classes that 3.11's `typing` enters as `typing.io` and
    # `typing.re`, through their metaclass's `__getattribute__`, which a tracer sees.)
    still_held = [weak_reference(module) for name, module in entries.items()
                  if issubclass(type(module), ModuleType)
                  and object.__hash__(module) not in shared
                  and name not in _LEFT_AS_THEY_ARE and not name.startswith("encodings.")]
    for name in entries:
        hoststack.call_at_bottom(modules.__setitem__, name, None)
    hoststack.call_at_bottom(modules.clear)
    # (`sys` and `builtins` stay in the table for what runs at the host's exit.)
    modules.update((name, entries[name]) for name in ("sys", "builtins") if name in entries)
    hoststack.call_at_bottom(entries.clear)
    # The program's builtins go once the original ones are back.
    builtins = vars(space.builtins)
    replaced = dict(builtins)
    hoststack.call_at_bottom(builtins.clear)
    builtins.update(space.builtins_copy)
    hoststack.call_at_bottom(replaced.clear)
    hoststack.call_at_bottom(gc.collect)
    for reference in reversed(still_held):
        module = reference()
        if module is not None:
            namespace = _module_namespace(module)
            module = None
            _set_names_to_none(namespace)
            namespace = None
    _set_names_to_none(vars(space.sys))
    _set_names_to_none(builtins)
    hoststack.call_at_bottom(gc.collect)


_module_namespace = ModuleType.__dict__["__dict__"].__get__

# The modules whose names stay: those emptied last, or never (the standard codecs,
# whose search function the host's codec registry calls until its own exit).
_LEFT_AS_THEY_ARE = ("sys", "builtins", "encodings")


def _set_names_to_none(namespace):
    for single_underscore in (True, False):
        hoststack.call_at_bottom(namespace.update, _names_to_clear(namespace, single_underscore))


def _names_to_clear(namespace, single_underscore):
    """CPython's _PyModule_ClearDict, one of its two passes: the names that it sets to
    None, each mapped to None (the names with one leading underscore, or all)."""
    cleared = {}
    for name, value in list(namespace.items()):
        if not isinstance(name, str) or name == "__builtins__" or value is None:
            continue
        if single_underscore and not (name[:1] == "_" and name[1:2] != "_"):
            continue
        cleared[name] = None
    return cleared


def _run_exit_functions():
    # The guest's atexit module is the host's, sharing its registry: running the
    # functions here, in CPython's order, also keeps the host from running them later.
    # Where no code imported it, none registered a function. (Not imported here: the
    # import would raise an audit event, which a guest's hook sees and may refuse,
    # where CPython's exit raises none.)
    atexit = host_sys.modules.get("atexit")
    if atexit is None:
        return
    # Each function's frame is the bottom of the stack, as when CPython's C code calls it.
    hoststack.call_at_bottom(atexit._run_exitfuncs)


def flush_standard_streams(space):
    """CPython's flush_std_files: flush the guest's sys.stdout and sys.stderr, unless
    missing, None or closed; False if either failed (the exit status is then 120),
    and a failure of stdout's is reported as ignored."""
    namespace = vars(space.sys)
    flushed = True
    for name in ("stdout", "stderr"):
        stream = namespace.get(name)
        if stream is None or _is_closed(stream):
            continue
        try:
            # (Called as C code calls it: a program's `flush` sees no caller.)
            hoststack.call_at_bottom(stream.flush)
        except Exception as error:
            flushed = False
            if name == "stdout":
                error.__traceback__ = without_internal_frames(error.__traceback__)
                _report_ignored(stream, error)
    return flushed


def flush_io(space):
    """CPython's flush_io, once a script or a statement of the REPL has run: flush the
    guest's sys.stderr and sys.stdout, ignoring what fails, and what is missing or
    None."""
    for name in ("stderr", "stdout"):
        stream = vars(space.sys).get(name)
        if stream is not None:
            try:
                hoststack.call_at_bottom(stream.flush)
            except BaseException:
                pass


def _is_closed(stream):
    # As CPython's file_is_closed: a `closed` that fails to be read or tested is False.
    try:
        return bool(stream.closed)
    except Exception:
        return False


def _report_ignored(stream, error):
    if host_sys.version_info >= (3, 13):
        write_unraisable(error, "Exception ignored on flushing sys.stdout", None)
    else:
        write_unraisable(error, None, stream)


def exit_by_sigint():
    """End the process as CPython does after an uncaught KeyboardInterrupt."""
    # Imported here: `signal` brings `enum`, a start-up cost every run would pay.
    signal = host_module("signal")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
    return 130
