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

from gilless.base.state import world


class GuestStream:
    """Stands in the host's sys for the guest's stream `name`."""

    def __init__(self, name):
        self._name = name

    def _target(self):
        return world.sys.get(self._name)

    def write(self, text):
        target = world.sys.get(self._name)
        # CPython's print() and error display skip a stream set to None.
        if target is None:
            return len(text)
        return target.write(text)

    def flush(self):
        target = world.sys.get(self._name)
        if target is not None:
            return target.flush()

    def __getattr__(self, attribute):
        target = world.sys.get(self._name)
        if target is None:
            raise RuntimeError(f"lost sys.{self._name}")
        return getattr(target, attribute)

    def __repr__(self):
        return f"<gilless view of the guest's sys.{self._name}: {self._target()!r}>"


def displayhook(value):
    return world.sys["displayhook"](value)


def unraisablehook(unraisable):
    hook = world.sys.get("unraisablehook")
    if hook is None:
        return host_sys.__unraisablehook__(unraisable)
    return hook(unraisable)


def breakpointhook(*args, **kwargs):
    hook = world.sys.get("breakpointhook")
    if hook is None:
        raise RuntimeError("lost sys.breakpointhook")
    return hook(*args, **kwargs)


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
