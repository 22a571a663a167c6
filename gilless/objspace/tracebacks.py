"""Guest tracebacks: what the guest sees of a host traceback.

Guest code runs as host code, so a host traceback is a guest traceback
except for the frames of gilless itself (the runner, the Python-level
built-ins such as `exec` and `__import__`). Those are unlinked before the
guest sees the exception; bare `raise` then re-raises without adding the
unlinking frame back, as a C built-in of CPython would leave none.
Like CPython's import.c, the import machinery's frames are removed from
errors raised through `import`.

An exception raised by gilless code itself that no guest operation asked
for is a gilless bug, and is reported as one.
"""

import os
import sys
import sysconfig
import traceback as host_traceback

import gilless

GILLESS_DIR = os.path.dirname(os.path.abspath(gilless.__file__)) + os.sep
IMPORTLIB_FILENAMES = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")

# Exception types that gilless never raises on purpose for the guest: one of
# these raised inside a gilless frame is a gilless bug.
BUG_TYPES = (AttributeError, NameError, AssertionError)

show_internal_frames = bool(os.environ.get("GILLESS_DEBUG"))

# Standard library functions that stand in for C code of CPython's which
# gilless cannot share (see gilless.module.hostmodules): CPython runs these
# in C and its tracebacks show no frame for them, so uncaught exceptions are
# printed without them. (Guest code walking a traceback still sees them.)
_STDLIB = sysconfig.get_paths()["stdlib"]
ACCELERATOR_FALLBACKS = frozenset(
    (os.path.join(_STDLIB, relative), name) for relative, names in {
        # _asyncio: Future and Task.
        "asyncio/futures.py": ("result", "__await__"),
        # (3.12 split the step in two: __step_run_and_handle_result.)
        "asyncio/tasks.py": ("__step", "__step_run_and_handle_result", "__wakeup"),
        # _warnings: a warning turned into an error is raised from C.
        "warnings.py": ("warn", "warn_explicit"),
    }.items() for name in names)


class InternalError(Exception):
    """A broken invariant inside gilless, never a guest error."""


# gilless functions whose code is named after the guest code they stand for
# (see importing.guest_import), yet are gilless's own.
INTERNAL_CODES = set()


def is_internal(code):
    return code.co_filename.startswith(GILLESS_DIR) or code in INTERNAL_CODES


def _relink(entries, keep):
    """Unlink the traceback entries for which `keep` is false; return the new head."""
    head = None
    previous = None
    for entry, kept in zip(entries, keep):
        if not kept:
            continue
        if previous is None:
            head = entry
        else:
            previous.tb_next = entry
        previous = entry
    if previous is not None:
        previous.tb_next = None
    return head


def _entries(tb):
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    return entries


def without_internal_frames(tb):
    if show_internal_frames or tb is None:
        return tb
    entries = _entries(tb)
    keep = [not is_internal(e.tb_frame.f_code) for e in entries]
    if all(keep):
        return tb
    return _relink(entries, keep)


def without_import_frames(tb, always):
    """CPython's remove_importlib_frames: drop importlib chunks (all of them when
    `always`, else those ending in _call_with_frames_removed), and gilless frames."""
    entries = _entries(tb)
    keep = []
    chunk_start = None
    in_importlib = False
    for index, entry in enumerate(entries):
        code = entry.tb_frame.f_code
        if is_internal(code) and not show_internal_frames:
            keep.append(False)
            continue
        now_in_importlib = code.co_filename in IMPORTLIB_FILENAMES
        if now_in_importlib and not in_importlib:
            chunk_start = index
        in_importlib = now_in_importlib
        keep.append(True)
        if in_importlib and (always or code.co_name == "_call_with_frames_removed"):
            for dropped in range(chunk_start, index + 1):
                keep[dropped] = False
    return _relink(entries, keep)


def hide_internal_frames(exc):
    """Unlink gilless frames from `exc` before it reaches guest code."""
    exc.__traceback__ = without_internal_frames(exc.__traceback__)


def _without_internal_or_fallback_frames(tb):
    if show_internal_frames or tb is None:
        return tb
    entries = _entries(tb)
    keep = []
    for entry in entries:
        code = entry.tb_frame.f_code
        keep.append(not is_internal(code)
                    and (code.co_filename, code.co_name) not in ACCELERATOR_FALLBACKS)
    if all(keep):
        return tb
    return _relink(entries, keep)


def _clean_chain(exc, seen):
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = _without_internal_or_fallback_frames(exc.__traceback__)
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
    return last is not None and is_internal(last.tb_frame.f_code)


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
    from gilless.module import syshostview
    if file is syshostview.guest_stderr():
        # The host's C hook is CPython's own display, down to the name
        # suggestions that traceback.py only learns in 3.12; it writes to
        # the host's sys.stderr, which forwards to this very stream.
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
    else:
        host_traceback.print_exception(type(exc), exc, exc.__traceback__, file=file)
    try:
        file.flush()
    except Exception:
        pass


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
    import linecache as host_linecache
    guest_linecache = space.import_module("linecache")
    for linecache in (host_linecache, guest_linecache):
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
    host_traceback.print_exception(type(exc), exc, exc.__traceback__, file=file)
