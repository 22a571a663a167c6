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

from gilless.base.frames import without_internal_frames
from gilless.base.state import world


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
            return target.write(text)
        except BaseException as error:
            error.__traceback__ = without_internal_frames(error.__traceback__)
            raise

    def flush(self):
        target = world.sys.get(self._name)
        # CPython's exit flushes no stream that is None or missing.
        if target is None:
            return None
        try:
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


_missing_stream_messages = {}


def _missing_stream_message(name):
    """What the host's faulthandler says of a missing `sys.stderr` ("unable to get
    sys.stderr", or "lost sys.stderr" in later 3.13 releases, 3.13.5's): asked of
    the host once, with its own `sys.stderr` removed for that call, while the
    guest's is missing too (C code that reads it meanwhile finds it missing either
    way)."""
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


def displayhook(value):
    hook = world.sys.get("displayhook", _MISSING)
    try:
        if hook is _MISSING:
            raise _lost("displayhook")
        return hook(value)
    except BaseException as error:
        error.__traceback__ = without_internal_frames(error.__traceback__)
        raise


def unraisablehook(unraisable):
    """CPython's handling of an unraisable error: the guest's hook, the default one when
    the hook is None or missing, and the default one reporting the hook's own failure."""
    hook = world.sys.get("unraisablehook")
    if hook is None:
        return host_sys.__unraisablehook__(unraisable)
    try:
        hook(unraisable)
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
    _unraisable_args_type = type(captured[0])


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
        return hook(*args, **kwargs)
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
