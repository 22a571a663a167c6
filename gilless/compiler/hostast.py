"""The host's `ast`, for the lowering passes, imported when first needed."""

import sys

from gilless.base.frames import taken_out
from gilless.base.hostimports import host_module, is_guest_module


def load():
    """The host's `ast` module. The first call imports it (a start-up that compiles
    nothing with a pass does without it), with the host's own modules (see
    gilless.base.hostimports) and unseen by a tracer or profiler that the guest set:
    `ast`'s module body is no frame of the program's (`python -m profile` checks every
    call it sees against its frames)."""
    module = sys.modules.get("ast")
    if module is not None and not is_guest_module(module):
        return module
    trace, profile = (None if installed is taken_out else installed
                      for installed in (sys.gettrace(), sys.getprofile()))
    if trace is None and profile is None:
        return host_module("ast")
    sys.settrace(None)
    sys.setprofile(None)
    try:
        return host_module("ast")
    finally:
        sys.settrace(trace)
        sys.setprofile(profile)
