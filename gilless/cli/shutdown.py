"""The end of a run, in the order of CPython's finalization as the guest sees it.

Non-daemon guest threads are joined, then the atexit functions run, then
stdout and stderr are flushed: a flush that fails gives CPython's exit
status 120 and its "Exception ignored" report. After an uncaught
KeyboardInterrupt the process ends by SIGINT, so that a shell or parent
process sees an interrupted program, as with CPython.
"""

import os
import sys as host_sys

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
            print_guest_exception(error, space.sys.stderr)
    _run_exit_functions()
    if space.gil is not None:
        space.gil.release_for_exit()
    status = outcome.status
    if space.race is not None:
        status = space.race.finish(status)
    flushed = _flush(space.sys.stdout, report=True)
    _flush(space.sys.stderr, report=False)
    if not flushed:
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


def _flush(stream, report):
    """Flush a standard stream at exit; False if that failed (CPython then exits with 120
    and, for stdout, reports the error as ignored)."""
    if stream is None or getattr(stream, "closed", False):
        return True
    try:
        stream.flush()
    except Exception as error:
        if report:
            if host_sys.version_info >= (3, 13):
                write_error_stream("Exception ignored on flushing sys.stdout:\n")
            else:
                write_error_stream(f"Exception ignored in: {stream!r}\n")
            print_guest_exception(error, host_sys.__stderr__)
        return False
    return True


def exit_by_sigint():
    """End the process as CPython does after an uncaught KeyboardInterrupt."""
    # Imported here: `signal` brings `enum`, a start-up cost every run would pay.
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
    return 130
