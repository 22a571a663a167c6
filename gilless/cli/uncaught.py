"""How uncaught guest exceptions and SystemExit reach the user, as in CPython.

An uncaught exception goes through the guest's `sys.excepthook`, with
CPython's own reports when the hook is missing or fails itself; the
handler's frames are not on the stack then, so the hook sees no exception
being handled. A SystemExit becomes an exit status the way CPython's
`_Py_HandleSystemExit` computes it: None is 0, an int goes through a C
long to the OS's 8 bits, and anything else is printed to stderr and gives 1.
"""

import sys as host_sys

from gilless.base import hoststack
from gilless.base.frames import hide_internal_frames
from gilless.module.syshostview import write_error_stream
from gilless.objspace.tracebacks import display_guest_exception

EXIT_FAILURE = 1


def exit_status(space, exit_request):
    """The process exit status for a SystemExit, printing a non-integer code as CPython does."""
    try:
        code = exit_request.code
    except Exception:
        # (A subclass's `code` that raises: CPython prints the exception instead.)
        code = exit_request
    if code is None:
        return 0
    if isinstance(code, int):
        # CPython converts to a C long (an overflow gives -1), then to the OS's 8 bits.
        if not -(1 << 63) <= code < (1 << 63):
            code = -1
        return code & 0xFF
    # As CPython's handle_system_exit: the code's str() to sys.stderr (to the process's
    # when it is missing or None), a failure ignored, then the newline as PySys_WriteStderr.
    namespace = vars(space.sys)
    stderr = namespace.get("stderr")
    if stderr is None:
        stderr = host_sys.__stderr__
    try:
        stderr.write(str(code))
    except Exception:
        pass
    write_sys_stderr(namespace, "\n")
    try:
        stderr.flush()
    except Exception:
        pass
    return EXIT_FAILURE


def report_uncaught(space, error):
    """Print an uncaught guest exception through the guest's sys.excepthook, with CPython's
    reports for a missing or failing hook."""
    # (It went through gilless's frames that ran the program, which a hook of the
    # program's, or a debugger's post-mortem, would see.)
    hide_internal_frames(error)
    guest_sys = space.sys
    guest_sys.last_type, guest_sys.last_value = type(error), error
    guest_sys.last_traceback = error.__traceback__
    if host_sys.version_info >= (3, 12):
        guest_sys.last_exc = error
    namespace = vars(guest_sys)
    hook = namespace.get("excepthook", _MISSING)
    if hook is _MISSING:
        write_sys_stderr(namespace, "sys.excepthook is missing\n")
        display_guest_exception(namespace, error)
        return
    try:
        # Called from C in CPython: the hook's frame is the bottom of the stack.
        hoststack.call_at_bottom(hook, type(error), error, error.__traceback__)
    except SystemExit:
        raise
    except BaseException as hook_error:
        write_sys_stderr(namespace, "Error in sys.excepthook:\n")
        display_guest_exception(namespace, hook_error)
        write_sys_stderr(namespace, "\nOriginal exception was:\n")
        display_guest_exception(namespace, error)


def write_sys_stderr(namespace, text):
    """CPython's PySys_WriteStderr: to sys.stderr, or to the process's error stream when
    sys.stderr is missing, None or fails. `namespace` is the guest sys's."""
    stderr = namespace.get("stderr")
    if stderr is not None:
        try:
            stderr.write(text)
            return
        except Exception:
            pass
    write_error_stream(text)


_MISSING = object()

