"""Guest tracebacks: printing what the guest sees of a host traceback.

Guest code runs as host code, so a host traceback is a guest traceback
except for the frames of gilless itself, which `gilless.base.frames` tells
apart and unlinks (as guest-facing functions raise, and here again before an
uncaught exception is printed). Like CPython's import.c, the import
machinery's frames are removed from errors raised through `import`.

An exception raised by gilless code itself that no guest operation asked
for is a gilless bug, and is reported as one.
"""

import os
import sys

from gilless.base import frames, hostbuild
from gilless.base.hostimports import host_module
from gilless.base.state import world
from gilless.module import syshostview

# Exception types that gilless never raises on purpose for the guest: one of
# these raised inside a gilless frame is a gilless bug.
BUG_TYPES = (AttributeError, NameError, AssertionError)

# Standard library functions that stand in for C code of CPython's which
# gilless cannot share (see gilless.module.hostmodules): CPython runs these
# in C and its tracebacks show no frame for them, so uncaught exceptions are
# printed without them. (Guest code walking a traceback still sees them.)
_STDLIB = hostbuild.STDLIB
ACCELERATOR_FALLBACKS = frozenset(
    (os.path.join(_STDLIB, relative), name) for relative, names in {
        # _asyncio: Future and Task.
        "asyncio/futures.py": ("result", "__await__"),
        # (3.12 split the step in two: __step_run_and_handle_result.)
        "asyncio/tasks.py": ("__step", "__step_run_and_handle_result", "__wakeup"),
    }.items() for name in names)


class InternalError(Exception):
    """A broken invariant inside gilless, never a guest error."""


def _is_internal_or_fallback(frame):
    code = frame.f_code
    return (frames.is_internal(frame)
            or (code.co_filename, code.co_name) in ACCELERATOR_FALLBACKS)


def _clean_chain(exc, seen):
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = frames.without_frames(exc.__traceback__, _is_internal_or_fallback)
        if isinstance(exc, BaseExceptionGroup):
            for inner in exc.exceptions:
                _clean_chain(inner, seen)
        if exc.__cause__ is not None:
            _clean_chain(exc.__cause__, seen)
        exc = exc.__context__


def _raised_inside_gilless(exc):
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and frames.is_internal(last.tb_frame)


def print_guest_exception(exc, file=None):
    """Print an uncaught guest exception the way CPython's default excepthook does."""
    if file is None:
        file = sys.stderr
    if file is None:
        return
    internal = isinstance(exc, InternalError) or (
        isinstance(exc, BUG_TYPES) and _raised_inside_gilless(exc))
    if internal:
        report_internal_error(exc, file)
        return
    _clean_chain(exc, set())
    if file is syshostview.guest_stderr():
        if not (syshostview.DISPLAY_IMPORTS_TRACEBACK
                and syshostview.display_through_guest_traceback(exc)):
            # The host's C hook is CPython's own display, down to the name
            # suggestions that traceback.py only learns in 3.12; it writes to
            # the host's sys.stderr, which forwards to this very stream.
            _display_with_guest_limit(exc)
    else:
        host_module("traceback").print_exception(type(exc), exc, exc.__traceback__, file=file)
    try:
        file.flush()
    except Exception:
        pass


def display_guest_exception(namespace, error):
    """CPython's PyErr_Display, given the guest sys's `namespace`: nothing when
    sys.stderr is None, a dump of the object on the process's error stream when it
    is missing."""
    stderr = namespace.get("stderr", _MISSING)
    if stderr is _MISSING:
        syshostview.write_error_stream(_object_dump(error) + "lost sys.stderr\n")
    elif stderr is not None:
        print_guest_exception(error, stderr)


_MISSING = object()


def _object_dump(obj):
    # CPython's _PyObject_Dump, as far as Python can see the object.
    try:
        described = repr(obj)
    except Exception:
        described = "<object repr() failed>"
    return (f"object address  : {id(obj):#x}\n"
            f"object refcount : {sys.getrefcount(obj) - 2}\n"
            f"object type     : {id(type(obj)):#x}\n"
            f"object type name: {type(obj).__name__}\n"
            f"object repr     : {described}\n")


_NO_LIMIT = object()


def _display_with_guest_limit(exc):
    """The host's display of `exc`, limited by the guest's `sys.tracebacklimit`,
    which the host's C code reads from the host's sys. From 3.13 the host's C
    display is the host's `traceback` module, whose name suggestion for an
    ImportError (`Did you mean`) imports the module that lacked the name: through
    the guest's `__import__`, not the host's (which would import a package of
    that name from gilless's own path)."""
    limit = world.sys.get("tracebacklimit", _NO_LIMIT) if world.installed else _NO_LIMIT
    host_limit = sys.__dict__.get("tracebacklimit", _NO_LIMIT)
    if limit is not host_limit:
        _set_limit(limit)
    guest_import = None
    if sys.version_info >= (3, 13) and world.installed:
        guest_import = world.builtins.get("__import__")
    if guest_import is not None:
        # (Imported here, not by the C display: see gilless.base.hostimports.)
        traceback_namespace = vars(host_module("traceback"))
        traceback_namespace["__import__"] = guest_import
    try:
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
    finally:
        if limit is not host_limit:
            _set_limit(host_limit)
        if guest_import is not None:
            traceback_namespace.pop("__import__", None)


def _set_limit(limit):
    if limit is _NO_LIMIT:
        sys.__dict__.pop("tracebacklimit", None)
    else:
        sys.tracebacklimit = limit


def register_source(space, code, source, filename):
    """Let tracebacks quote the lines of a `-c` command or of a statement typed
    at the interactive prompt, as CPython 3.13 does.

    CPython 3.13 hands their text to `linecache._register_code`;
    the first 3.13 releases key it by file name, later ones (whose linecache
    has `_interactive_cache`) by code object. gilless registers it
    with the host's linecache, which the host's excepthook reads when it
    prints an uncaught exception, and with the guest's, which the guest's
    `traceback` module reads.
    """
    if sys.version_info < (3, 13):
        return
    guest_linecache = space.import_module("linecache")
    for linecache in (host_module("linecache"), guest_linecache):
        register = getattr(linecache, "_register_code", None)
        if register is None:
            continue
        key = code if hasattr(linecache, "_interactive_cache") else filename
        register(key, source, filename)


def report_internal_error(exc, file=None):
    """Say plainly that gilless itself failed, with the host traceback for the bug report."""
    if file is None:
        file = sys.__stderr__
    print("gilless: internal error (this is a bug in gilless, not in your program):",
          file=file)
    host_module("traceback").print_exception(type(exc), exc, exc.__traceback__, file=file)
