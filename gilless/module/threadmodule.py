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

Two exceptions, in `_excepthook` here. The host's writes to the host's
`sys.stderr`, which forwards to the guest's and so is never None; when the
guest's is None, CPython's writes to the stderr the thread saved when it
started (`Thread._stderr`), and so does gilless's. And from 3.13 the host's
displays the exception with the host's `traceback` module, where CPython's
imports the program's (`syshostview.display_through_guest_traceback`).
"""

import _thread as host_thread
import builtins as host_builtins
import sys as host_sys

from gilless.base.frames import hides_frames
from gilless.base.hostimports import host_module
from gilless.base.hosttypes import ModuleType, TracebackType
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.syshostview import (DISPLAY_IMPORTS_TRACEBACK, display_through_guest_traceback,
                                        guest_stderr)


class LockAround:
    """What an execution mode's `_thread.lock` shares: a host lock inside, and the
    methods that never wait. A mode's subclass gets `acquire` and `release` (with
    their aliases and `__enter__`) from `give_lock_methods`; `_sync` is the slot a tool
    watching the mode keeps its own state in (the race detector's clock), `_order`
    lock-order checking's."""

    __slots__ = ("_host", "_sync", "_order", "__weakref__")

    def __init__(self):
        self._host = host_thread.allocate_lock()
        self._sync = self._order = None

    @classmethod
    def _wrapping(cls, host_lock):
        lock = cls.__new__(cls)
        lock._host = host_lock
        lock._sync = lock._order = None
        return lock

    def __exit__(self, *exc_info):
        self.release()

    def locked(self):
        return self._host.locked()

    def _at_fork_reinit(self):
        self._host._at_fork_reinit()

    def __repr__(self):
        state = "locked" if self._host.locked() else "unlocked"
        return f"<{state} _thread.lock object at {id(self):#x}>"


def give_lock_methods(cls, acquire, release, aliases=()):
    """Give a mode's lock type `cls` (a subclass of LockAround or RLockAround) the
    methods that stand for the C methods of the host's lock, from its `acquire` and
    `release` and its base's: each a built-in of the C method's name (a profiler
    sees `acquire` called, and `__exit__` at the end of a `with` statement), but
    `__enter__`, which CPython's `with` calls unreported. `aliases`: the type's other
    names for them (`acquire_lock`...)."""
    methods = {"acquire": acquire, "release": release, "__exit__": cls.__exit__,
               "__enter__": acquire}
    if hasattr(cls, "locked"):
        methods["locked"] = cls.locked
    for alias in aliases:
        methods[alias] = methods[alias.partition("_")[0]]
    for name, function in methods.items():
        method = hides_frames(function, name=name, reported=name != "__enter__")
        method.__qualname__ = f"{cls.__name__}.{name}"
        setattr(cls, name, method)


class RLockAround:
    """What an execution mode's `_thread.RLock` shares (see LockAround); a subclass
    gives `_release_save` and `_acquire_restore`, and gets `acquire`, `release` and
    `__enter__` from `give_lock_methods`."""

    __slots__ = ("_host", "_sync", "_order", "__weakref__")

    def __init__(self, *args, **kwargs):
        self._host = host_thread.RLock(*args, **kwargs)
        self._sync = self._order = None

    def __exit__(self, *exc_info):
        self.release()

    def _is_owned(self):
        return self._host._is_owned()

    def _at_fork_reinit(self):
        self._host._at_fork_reinit()

    def __getattr__(self, name):
        # _recursion_count and whatever else a host version adds that never blocks.
        return getattr(self._host, name)

    def __repr__(self):
        return repr(self._host).replace(f"{id(self._host):#x}", f"{id(self):#x}")


class ThreadHandleAround:
    """What an execution mode's 3.13 `_thread._ThreadHandle` shares: a host handle inside,
    and the methods that never wait. A mode's subclass gives `join`; `_sync` is a tool's
    slot, as LockAround's."""

    __slots__ = ("_host", "_sync", "__weakref__")
    __module__ = "_thread"

    def __init__(self, *args, **kwargs):
        self._host = host_thread._ThreadHandle(*args, **kwargs)
        self._sync = None

    @classmethod
    def _wrapping(cls, host_handle):
        handle = cls.__new__(cls)
        handle._host = host_handle
        handle._sync = None
        return handle

    @property
    def ident(self):
        return self._host.ident

    def is_done(self):
        return self._host.is_done()

    def _set_done(self):
        return self._host._set_done()

    def __repr__(self):
        return repr(self._host)


def check_start_arguments(function, args, kwargs):
    """CPython's checks of `start_new_thread`'s arguments; the keyword arguments to pass."""
    if not callable(function):
        raise TypeError("first arg must be callable")
    if not isinstance(args, tuple):
        raise TypeError("2nd arg must be a tuple")
    if kwargs is None:
        return {}
    if not isinstance(kwargs, dict):
        raise TypeError("optional 3rd arg must be a dictionary")
    return kwargs


def replace_primitives(module, functions, lock_type, rlock, thread_handle):
    """Put an execution mode's own synchronising primitives into a guest copy of `_thread`.

    `functions` are the mode's `allocate_lock`, `start_new_thread`, `_set_sentinel`,
    `start_joinable_thread`, `_make_thread_handle` and `_shutdown`, which become
    built-in functions; `lock_type`, `rlock` and `thread_handle` replace the types
    (`rlock` as it is). Names the host's version of `_thread` lacks stay absent."""
    namespace = module.__dict__
    functions = {function.__name__: BuiltinFunction(function, "_thread")
                 for function in functions}
    namespace.update(LockType=lock_type, allocate_lock=functions["allocate_lock"], RLock=rlock,
                     start_new_thread=functions["start_new_thread"])
    for alias, target in (("allocate", functions["allocate_lock"]),
                          ("start_new", functions["start_new_thread"]), ("lock", lock_type)):
        if alias in namespace:
            namespace[alias] = target
    if "_set_sentinel" in namespace:
        namespace["_set_sentinel"] = functions["_set_sentinel"]
    if "start_joinable_thread" in namespace:
        namespace.update(start_joinable_thread=functions["start_joinable_thread"],
                         _ThreadHandle=thread_handle,
                         _make_thread_handle=functions["_make_thread_handle"],
                         _shutdown=functions["_shutdown"])


# The functions that start a thread, and the names `threading` binds them to.
_THREAD_STARTERS = {"start_new_thread": "_start_new_thread", "start_new": None,
                    "start_joinable_thread": "_start_joinable_thread"}


def replace_thread_starters(thread_module, threading_module, replacement):
    """Give the guest's `_thread` (and `threading`, where it has bound them, if it is
    not None) `replacement(starter)` for each function of `_thread` that starts a
    thread."""
    for name, threading_name in _THREAD_STARTERS.items():
        function = getattr(thread_module, name, None)
        if function is None:
            continue
        replaced = replacement(function)
        setattr(thread_module, name, replaced)
        if threading_module is not None and threading_name is not None and \
                getattr(threading_module, threading_name, None) is function:
            setattr(threading_module, threading_name, replaced)


def refuse_new_threads(thread_module, threading_module):
    """From CPython 3.12, a thread started once finalization has begun (from a
    `__del__` of `__main__`'s objects) raises, as the host's would in its own
    finalization: the guest's `_thread` and `threading` get functions that do."""
    if host_sys.version_info < (3, 12):
        return
    replace_thread_starters(thread_module, threading_module,
                            lambda function: BuiltinFunction(_refuse_thread, shown=function))


def _refuse_thread(*args, **kwargs):
    error = getattr(host_builtins, "PythonFinalizationError", RuntimeError)
    raise error("can't create new thread at interpreter shutdown")


def definitions():
    """The names of the guest `_thread` that are gilless's; the others are the host's."""
    return {"_excepthook": BuiltinFunction(_excepthook, "_thread")}


def create(space):
    module = ModuleType("_thread", host_thread.__doc__)
    module.__dict__.update((name, value) for name, value in host_thread.__dict__.items()
                           if name not in ("__spec__", "__loader__"))
    module.__dict__.update(definitions())
    if space.gil is not None:
        space.gil.patch_thread_module(module)
    return module


def _excepthook(args, /):
    if not isinstance(args, host_thread._ExceptHookArgs):
        return host_thread._excepthook(args)
    stderr = guest_stderr()
    if stderr is not None and not (DISPLAY_IMPORTS_TRACEBACK
                                   and isinstance(args.exc_value, BaseException)):
        return host_thread._excepthook(args)
    if args.exc_type is SystemExit:
        return None
    thread = args.thread
    if stderr is None:
        stderr = getattr(thread, "_stderr", None) if thread is not None else None
        if stderr is None:
            return None
    else:
        try:
            stderr.flush()
        except Exception:
            pass
    name = getattr(thread, "name", None)
    stderr.write(f"Exception in thread {name if name else host_thread.get_ident()}:\n")
    stderr.flush()
    error = args.exc_value
    shown = False
    if DISPLAY_IMPORTS_TRACEBACK and isinstance(error, BaseException):
        if error.__traceback__ is None and isinstance(args.exc_traceback, TracebackType):
            error.__traceback__ = args.exc_traceback
        shown = display_through_guest_traceback(error)
    if not shown:
        host_module("traceback").print_exception(args.exc_type, error, args.exc_traceback,
                                                 file=stderr)
    stderr.flush()
    return None
