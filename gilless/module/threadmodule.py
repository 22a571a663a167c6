"""The guest `_thread`: guest threads are host OS threads.

The host's thread primitives are used as they are. The guest runs the
host's own `threading.py`, of the same version as the host's `_thread`, so
this module is exactly what it needs on every host version (3.11 and 3.12:
`start_new_thread`, `_set_sentinel`; 3.13: `start_joinable_thread`,
`_ThreadHandle`, `_shutdown`...). On a free-threaded host guest threads run
in parallel; lock waits are interruptible by Ctrl-C in the main thread, and
`_excepthook` prints as CPython's does, because they are CPython's. The only
thing gilless adds is the GIL mode: when it is on, locks, joins and new
threads go through wrappers that release and take the gilless GIL
(`gilless.concurrency.guestthread`).
"""

import _thread as host_thread
import types


def create(space):
    module = types.ModuleType("_thread", host_thread.__doc__)
    namespace = {name: value for name, value in host_thread.__dict__.items()
                 if name not in ("__spec__", "__loader__")}
    module.__dict__.update(namespace)
    if space.gil is not None:
        space.gil.patch_thread_module(module)
    return module
