"""Blocking calls of the guest's built-in modules, made to release the GIL (GIL mode only).

(The schedule explorer wraps the same calls, those that wait for the world
outside the program, with a `call` of its own: `patch`'s argument.)

CPython's C modules release the GIL around every call that may wait; the
host's do too, but for the host's lock, not gilless's. So in the GIL mode
the guest's copy of each such module (never the host's own) gets wrappers
that call the host function through `gil.call_released`, and raise as the
host function would, without gilless frames (`hides_frames`). What waits and
is covered: sleeping, `select`/`poll`/`epoll`, reads, writes and waits on
file descriptors and processes (`posix`), sockets and name lookups
(`_socket`), `_queue.SimpleQueue.get` (ThreadPoolExecutor's work queue),
multiprocessing's semaphores and locks (`_multiprocessing.SemLock`),
`input()`, signal waits, file locks, and the import lock of `_imp`.
"""

import functools

from gilless.base.frames import hides_frames
from gilless.concurrency import gil
from gilless.concurrency.guestthread import RLock
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.impmodule import import_lock_functions

# Module -> functions that may block, released around as they are.
BLOCKING_FUNCTIONS = {
    "time": ("sleep",),
    "select": ("select",),
    "posix": ("read", "readv", "pread", "preadv", "write", "writev", "pwrite", "pwritev",
              "sendfile", "splice", "copy_file_range", "waitpid", "wait", "wait3", "wait4",
              "waitid", "system", "open", "fsync", "fdatasync"),
    "_socket": ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                "getnameinfo"),
    "_signal": ("pause", "sigwait", "sigwaitinfo", "sigtimedwait"),
    "fcntl": ("flock", "lockf"),
    "builtins": ("input",),
}

SOCKET_BLOCKING_METHODS = ("_accept", "connect", "connect_ex", "recv", "recv_into", "recvfrom",
                           "recvfrom_into", "recvmsg", "recvmsg_into", "send", "sendall",
                           "sendto", "sendmsg", "sendmsg_afalg")


def released(function, call=gil.call_released):
    """Built-in `function`, running without the GIL (through `call`). Not a Python
    function: stored as a class attribute it must not become a method, as the built-in
    it replaces does not (`selectors` keeps `select.poll` so)."""
    return BuiltinFunction(functools.partial(call, function), shown=function)


def released_method(method, call=gil.call_released):
    """A method of a built-in type, running without the GIL (a function: it binds)."""
    @functools.wraps(method)
    @hides_frames
    def without_gil(self, *args, **kwargs):
        return call(method, self, *args, **kwargs)
    return without_gil


class _Proxy:
    """A poll or epoll object whose waiting methods release the GIL (through `_call`)."""

    __slots__ = ("_host",)
    _call = staticmethod(gil.call_released)

    def __init__(self, host_object):
        self._host = host_object

    @hides_frames
    def poll(self, *args, **kwargs):
        return self._call(self._host.poll, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._host, name)

    def __enter__(self):
        self._host.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._host.__exit__(*exc_info)


def _patch_select(module, call=gil.call_released):
    host_poll = module.__dict__.get("poll")
    if host_poll is not None:
        class poll(_Proxy):
            __slots__ = ()
            __module__ = "select"
            _call = staticmethod(call)

            def __init__(self):
                super().__init__(host_poll())
        poll.__qualname__ = "poll"
        module.poll = poll
    host_epoll = module.__dict__.get("epoll")
    if host_epoll is not None:
        class epoll(_Proxy):
            __slots__ = ()
            __module__ = "select"
            _call = staticmethod(call)

            def __init__(self, sizehint=-1, flags=0):
                super().__init__(host_epoll(sizehint, flags))

            @classmethod
            def fromfd(cls, fd):
                proxy = cls.__new__(cls)
                _Proxy.__init__(proxy, host_epoll.fromfd(fd))
                return proxy
        epoll.__qualname__ = "epoll"
        module.epoll = epoll


def _releasing_subclass(host_type, module_name, method_names, call):
    """A subclass of built-in `host_type`, named as it, whose methods of `method_names`
    (those it has) wait with the GIL released."""
    namespace = {"__slots__": (), "__module__": module_name, "__doc__": host_type.__doc__}
    for name in method_names:
        if hasattr(host_type, name):
            namespace[name] = released_method(getattr(host_type, name), call)
    return type(host_type.__name__, (host_type,), namespace)


def _patch_socket(module, call=gil.call_released):
    host_socket = module.socket
    socket = _releasing_subclass(host_socket, "_socket", SOCKET_BLOCKING_METHODS, call)
    module.socket = socket
    if getattr(module, "SocketType", None) is host_socket:
        module.SocketType = socket


def _negative(timeout):
    """A timeout that CPython refuses before it looks at the queue (NaN included)."""
    return isinstance(timeout, (int, float)) and not timeout >= 0


def _patch_queue(module, call=gil.call_released):
    host_simple_queue = module.SimpleQueue

    class SimpleQueue(host_simple_queue):
        __slots__ = ()
        __module__ = "_queue"

        @hides_frames
        def get(self, block=True, timeout=None):
            if not block or _negative(timeout):
                # Never waits (a negative timeout: the host's ValueError, whether or
                # not the queue is empty, as CPython checks it first).
                return host_simple_queue.get(self, block, timeout)
            try:
                return host_simple_queue.get(self, False)
            except module.Empty:
                pass  # (waiting outside the handler: no chained Empty)
            return call(host_simple_queue.get, self, True, timeout)

    # Named as the host's (repr, pickling by reference), not as a local class.
    SimpleQueue.__qualname__ = "SimpleQueue"
    module.SimpleQueue = SimpleQueue


def _patch_multiprocessing(module, call=gil.call_released):
    """multiprocessing's semaphores and locks (`SemLock`): their waits release the GIL,
    as the threads that would let them go (a `Pool`'s handlers) need it."""
    module.SemLock = _releasing_subclass(module.SemLock, "_multiprocessing",
                                         ("acquire", "__enter__"), call)


def _patch_imp(module, call=gil.call_released):
    for function in import_lock_functions(RLock()):
        setattr(module, function.__name__, BuiltinFunction(function, "_imp"))


def _patch_sys(module, call=gil.call_released):
    module.getswitchinterval = BuiltinFunction(gil.getswitchinterval, "sys")
    module.setswitchinterval = BuiltinFunction(gil.setswitchinterval, "sys")


SPECIAL = {"select": _patch_select, "_socket": _patch_socket, "_queue": _patch_queue,
           "_multiprocessing": _patch_multiprocessing, "_imp": _patch_imp, "sys": _patch_sys}


def patch(name, module):
    patch_calls(name, module, gil.call_released, BLOCKING_FUNCTIONS, SPECIAL)


def patch_calls(name, module, call, functions, special):
    """Make the calls of module `name` that `functions` names (module -> names) and the
    `special` ones (module -> a patch function) run through `call(function, *args)`."""
    namespace = module.__dict__
    for function_name in functions.get(name, ()):
        function = namespace.get(function_name)
        if function is not None:
            namespace[function_name] = released(function, call)
    patch_special = special.get(name)
    if patch_special is not None:
        patch_special(module, call)
