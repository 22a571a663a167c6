"""The guest `_thread`: guest threads are host OS threads.

The host's thread primitives are used as they are: on a free-threaded host
they run guest threads in parallel, and their locks are interruptible by
Ctrl-C in the main thread as in CPython. gilless adds the GIL mode: when it
is on, a thread holds the gilless GIL while it runs guest code, and releases
it while it waits (see gilless.concurrency.gil).
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
