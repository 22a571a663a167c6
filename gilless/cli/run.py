"""Running the program the command line names, then shutting the guest world down.

This follows CPython's Py_RunMain: run the script, command, module or
standard input as `__main__`; report an uncaught exception through the
guest's `sys.excepthook`; turn SystemExit into the exit status; optionally
drop into the REPL (-i); wait for non-daemon guest threads; flush the
standard streams.
"""

import os
import sys as host_sys

from gilless.cli import repl
from gilless.objspace.tracebacks import print_guest_exception

EXIT_BROKEN_STREAM = 120


class _Outcome:
    def __init__(self):
        self.status = 0
        self.interrupted = False


def run_program(space, invocation):
    outcome = _Outcome()
    guarded(space, outcome, space.run_site)
    if outcome.status:
        return finish(space, outcome)
    config = space.config
    if invocation.command is not None:
        guarded(space, outcome, run_command, space, invocation.command)
    elif invocation.module is not None:
        guarded(space, outcome, run_module, space, invocation.module)
    elif invocation.filename not in (None, "-"):
        guarded(space, outcome, run_path, space, invocation.filename,
                invocation.skip_first_line)
    elif not config.interactive:
        guarded(space, outcome, run_stdin, space)
    if config.inspect or (config.interactive and invocation.filename is None
                          and invocation.command is None and invocation.module is None):
        if "__main__" not in space.modules:
            space.main_module()
        status = repl.interact(space, quiet=config.quiet or config.inspect and
                               (invocation.filename or invocation.command or invocation.module))
        if status is not None:
            outcome.status = status
    return finish(space, outcome)


def guarded(space, outcome, function, *args):
    """Run guest code; an uncaught exception becomes the exit status, as in CPython."""
    try:
        function(*args)
    except SystemExit as exit_request:
        outcome.status = exit_status(space, exit_request)
    except BaseException as error:
        report_uncaught(space, error)
        outcome.interrupted = isinstance(error, KeyboardInterrupt)
        outcome.status = 1


def exit_status(space, exit_request):
    code = exit_request.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF if code >= 0 else code & 0xFF
    stderr = space.sys.stderr
    try:
        if stderr is not None:
            stderr.write(f"{code}\n")
            stderr.flush()
    except Exception:
        pass
    return 1


def report_uncaught(space, error):
    """Print an uncaught guest exception through the guest's sys.excepthook."""
    guest_sys = space.sys
    guest_sys.last_type, guest_sys.last_value = type(error), error
    guest_sys.last_traceback = error.__traceback__
    guest_sys.last_exc = error
    hook = getattr(guest_sys, "excepthook", None)
    try:
        if hook is None:
            raise RuntimeError("lost sys.excepthook")
        hook(type(error), error, error.__traceback__)
    except SystemExit:
        raise
    except BaseException as hook_error:
        stderr = guest_sys.stderr
        if stderr is not None:
            stderr.write("Error in sys.excepthook:\n")
            print_guest_exception(hook_error, stderr)
            stderr.write("\nOriginal exception was:\n")
            print_guest_exception(error, stderr)


def run_path(space, filename, skip_first_line=False):
    if os.path.isdir(filename) or space.config.path0 == filename:
        run_module(space, "__main__", set_argv0=False)
        return
    main = space.main_module()
    try:
        with open(filename, "rb") as f:
            source = f.read()
    except OSError as error:
        path = os.path.abspath(filename)
        host_sys.stderr.write(f"{space.sys.executable}: can't open file {path!r}: "
                              f"[Errno {error.errno}] {error.strerror}\n")
        raise SystemExit(2)
    if skip_first_line:
        source = source.partition(b"\n")[2]
    path = os.path.abspath(filename)
    main.__file__ = path
    main.__cached__ = None
    main.__loader__ = space.source_loader_class("__main__", path)
    code = space.code_cache.compile_module(source, path, space.compile_options)
    exec(code, main.__dict__)


def run_command(space, command):
    main = space.main_module()
    code = space.compile(command + "\n", "<string>")
    exec(code, main.__dict__)


def run_stdin(space):
    main = space.main_module()
    stdin = host_sys.stdin
    source = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
    code = space.compile(source, "<stdin>")
    exec(code, main.__dict__)


def run_module(space, name, set_argv0=True):
    space.main_module()
    runpy = space.import_module("runpy")
    runpy._run_module_as_main(name, set_argv0)


def finish(space, outcome):
    """Wait for guest threads, flush the streams, and give the exit status."""
    threading = space.modules.get("threading")
    if threading is not None and hasattr(threading, "_shutdown"):
        try:
            threading._shutdown()
        except BaseException as error:
            print_guest_exception(error, space.sys.stderr)
    if space.gil is not None:
        space.gil.release_for_exit()
    status = outcome.status
    for stream in (space.sys.stdout, space.sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            status = EXIT_BROKEN_STREAM
    if outcome.interrupted:
        from gilless.cli.main import exit_by_sigint
        return exit_by_sigint()
    return status
