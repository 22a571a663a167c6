"""The end of a run, in the order of CPython's finalization as the guest sees it.

Non-daemon guest threads are joined, then the atexit functions run, then
stdout and stderr are flushed: a flush that fails gives CPython's exit
status 120 and its "Exception ignored" report. After an uncaught
KeyboardInterrupt the process ends by SIGINT, so that a shell or parent
process sees an interrupted program, as with CPython.
"""

import os
import sys as host_sys

from gilless.base.frames import without_internal_frames
from gilless.module.syshostview import write_unraisable
from gilless.cli.uncaught import write_error_stream
from gilless.objspace.tracebacks import print_guest_exception

EXIT_BROKEN_STREAM = 120


def finish(space, outcome):
    """CPython's finalization as the guest sees it: wait for guest threads, run the atexit
    functions, flush the standard streams; then the exit status."""
    threading = space.modules.get("threading")
    if threading is not None and hasattr(threading, "_shutdown"):
        try:
            threading._shutdown()
        except BaseException as error:
            print_guest_exception(error, vars(space.sys).get("stderr"))
    _run_exit_functions()
    if space.gil is not None:
        space.gil.release_for_exit()
    status = outcome.status
    if space.race is not None:
        status = space.race.finish(status)
    if not flush_standard_streams(space):
        status = EXIT_BROKEN_STREAM
        # The host's own exit would fail on the same data and report it again.
        host_sys.stdout = None
    if outcome.interrupted:
        return exit_by_sigint()
    return status


def _run_exit_functions():
    # The guest's atexit module is the host's, sharing its registry: running the
    # functions here, in CPython's order, also keeps the host from running them later.
    import atexit
    atexit._run_exitfuncs()


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
            stream.flush()
        except Exception as error:
            flushed = False
            if name == "stdout":
                error.__traceback__ = without_internal_frames(error.__traceback__)
                _report_ignored(stream, error)
    return flushed


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
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
    return 130
