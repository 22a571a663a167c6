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
from gilless.module.syshostview import write_error_stream
from gilless.objspace.tracebacks import print_guest_exception

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
    guest_sys = space.sys
    guest_sys.last_type, guest_sys.last_value = type(error), error
    guest_sys.last_traceback = error.__traceback__
    guest_sys.last_exc = error
    namespace = vars(guest_sys)
    hook = namespace.get("excepthook", _MISSING)
    if hook is _MISSING:
        write_sys_stderr(namespace, "sys.excepthook is missing\n")
        _display(namespace, error)
        return
    try:
        # Called from C in CPython: the hook's frame is the bottom of the stack.
        hoststack.call_at_bottom(hook, type(error), error, error.__traceback__)
    except SystemExit:
        raise
    except BaseException as hook_error:
        write_sys_stderr(namespace, "Error in sys.excepthook:\n")
        _display(namespace, hook_error)
        write_sys_stderr(namespace, "\nOriginal exception was:\n")
        _display(namespace, error)


def _display(namespace, error):
    """CPython's PyErr_Display: nothing when sys.stderr is None, a dump of the object on
    the process's error stream when it is missing."""
    stderr = namespace.get("stderr", _MISSING)
    if stderr is _MISSING:
        write_error_stream(_object_dump(error) + "lost sys.stderr\n")
    elif stderr is not None:
        print_guest_exception(error, stderr)


def _object_dump(obj):
    # CPython's _PyObject_Dump, as far as Python can see the object.
    try:
        described = repr(obj)
    except Exception:
        described = "<object repr() failed>"
    return (f"object address  : {id(obj):#x}\n"
            f"object refcount : {host_sys.getrefcount(obj) - 2}\n"
            f"object type     : {id(type(obj)):#x}\n"
            f"object type name: {type(obj).__name__}\n"
            f"object repr     : {described}\n")


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

