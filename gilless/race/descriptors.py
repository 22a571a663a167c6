"""Data passed through a file descriptor orders the threads that pass it, as
ThreadSanitizer counts it: a write into a pipe or a socket happens before the reads
that come after it. The race detector wraps the calls of the guest's `posix` and
`_socket` (never the host's) that make, copy, close, write and read them.

Each pipe is a channel of its own, its two ends sharing it, and so is each socket
pair; every other socket is one channel for all (the two ends of a connection that
this process holds both of are not told apart, as in ThreadSanitizer). A channel's
clock is the join of every write into it (the detector's `publishing`), so a read
acquires all that the writers did before, not only what wrote its bytes: a pipe or
a socket orders its bytes. A descriptor closed by C code (a file object's `close`)
keeps its channel until its number is reused by a pipe, a pair or `dup2`, which can
only add order, never make a race up.

Data read from a channel that no thread of this process wrote into comes from another
process (a `multiprocessing.Pool` worker's results, a subprocess's output), which may
answer anything this process wrote out: such a read acquires every write into any
channel before it. (Pool's result handler thread reads what a worker process computed
from the tasks the task handler thread wrote to it, after the main thread had made the
task's result object.)

A file lock taken with `fcntl.flock` excludes other open files of the same file, so
threads lock a file as they lock a lock: each file locked is a channel, whose clock
an unlock (`LOCK_UN`, or `os.close` of the descriptor that holds the lock) joins and
a lock acquires. (`lockf` and `fcntl`'s record locks belong to the process, and do not
exclude its threads from one another: no edge.)
"""

import functools
import os

from gilless.base.frames import hides_frames
from gilless.module.builtinfunction import BuiltinFunction
from gilless.race import detector


class _Channel:
    """What the data of some descriptors goes through: the detector keeps its clock.
    `written`: whether a thread of this process has written into it."""

    __slots__ = ("written", "__weakref__")

    def __init__(self):
        self.written = False


# Descriptor number -> its channel (pipes and socket pairs).
_channels = {}
_SOCKETS = _Channel()
# What every write into a channel published: a read from a channel that no thread of
# this process wrote into gets data from another process, which may answer anything
# this one wrote out (see the module's docstring).
_OUTSIDE = _Channel()


def _published(channel):
    """Data is about to be written into `channel`."""
    channel.written = True
    detector.publishing(channel)
    detector.publishing(_OUTSIDE)


def _received(channel):
    """Data was read from `channel`."""
    detector.received(channel if channel.written else _OUTSIDE)


_WRITES = ("write", "writev", "pwrite", "pwritev")
_READS = ("read", "readv", "pread", "preadv")
_SENDS = ("send", "sendall", "sendto", "sendmsg")
_RECEIVES = ("recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg", "recvmsg_into")


def _builtin(function, host):
    return BuiltinFunction(hides_frames(function), shown=host)


def _pair(descriptors):
    channel = _Channel()
    for descriptor in descriptors:
        _channels[descriptor] = channel


def _writing(host):
    def write(fd, *args, **kwargs):
        channel = _channels.get(fd) if type(fd) is int else None
        if channel is not None:
            _published(channel)
        return host(fd, *args, **kwargs)
    return write


def _reading(host):
    def read(fd, *args, **kwargs):
        result = host(fd, *args, **kwargs)
        channel = _channels.get(fd) if type(fd) is int else None
        if channel is not None and result:
            _received(channel)
        return result
    return read


def patch_posix(module):
    namespace = module.__dict__
    for name in ("pipe", "pipe2"):
        host = namespace.get(name)
        if host is not None:
            def make(*args, _host=host):
                descriptors = _host(*args)
                _pair(descriptors)
                return descriptors
            namespace[name] = _builtin(make, host)
    for names, wrap in ((_WRITES, _writing), (_READS, _reading)):
        for name in names:
            host = namespace.get(name)
            if host is not None:
                namespace[name] = _builtin(wrap(host), host)
    host_close, host_dup, host_dup2 = module.close, module.dup, module.dup2

    def close(fd):
        if type(fd) is int:
            _channels.pop(fd, None)
            if fd in _file_locks:
                detector.publishing(_file_locks.pop(fd))
        return host_close(fd)

    def dup(fd):
        copy = host_dup(fd)
        if type(fd) is int and fd in _channels:
            _channels[copy] = _channels[fd]
        return copy

    def dup2(fd, fd2, inheritable=True):
        copy = host_dup2(fd, fd2, inheritable)
        if type(fd) is int and fd in _channels:
            _channels[copy] = _channels[fd]
        else:
            _channels.pop(copy, None)
        return copy

    namespace.update(close=_builtin(close, host_close), dup=_builtin(dup, host_dup),
                     dup2=_builtin(dup2, host_dup2))


def patch_socket(module):
    host_socket = module.socket
    host_socketpair = getattr(module, "socketpair", None)

    def channel_of(sock):
        return _channels.get(host_socket.fileno(sock), _SOCKETS)

    def sending(host):
        @functools.wraps(host)
        @hides_frames
        def send(self, *args, **kwargs):
            _published(channel_of(self))
            return host(self, *args, **kwargs)
        return send

    def receiving(host):
        @functools.wraps(host)
        @hides_frames
        def receive(self, *args, **kwargs):
            result = host(self, *args, **kwargs)
            if result:
                _received(channel_of(self))
            return result
        return receive

    namespace = {"__slots__": (), "__module__": "_socket", "__doc__": host_socket.__doc__}
    for names, wrap in ((_SENDS, sending), (_RECEIVES, receiving)):
        for name in names:
            if hasattr(host_socket, name):
                namespace[name] = wrap(getattr(host_socket, name))
    socket = type("socket", (host_socket,), namespace)
    module.socket = socket
    if getattr(module, "SocketType", None) is host_socket:
        module.SocketType = socket
    if host_socketpair is not None:
        def socketpair(*args):
            pair = host_socketpair(*args)
            _pair(sock.fileno() for sock in pair)
            return pair
        module.socketpair = _builtin(socketpair, host_socketpair)


# (st_dev, st_ino) of each file locked with `flock` -> its channel.
_files = {}
# The descriptors that hold a file lock -> their file's channel.
_file_locks = {}


def _locked_file(fd):
    """The descriptor `fd` names (an int, or an object's `fileno()`), and the channel of
    its file; (None, None) where there is none to tell."""
    try:
        descriptor = fd if type(fd) is int else fd.fileno()
        status = os.fstat(descriptor)
    except Exception:
        return None, None
    key = (status.st_dev, status.st_ino)
    channel = _files.get(key)
    if channel is None:
        channel = _files.setdefault(key, _Channel())
    return descriptor, channel


def patch_fcntl(module):
    host_flock = getattr(module, "flock", None)
    if host_flock is None:
        return
    unlock, shared, exclusive = module.LOCK_UN, module.LOCK_SH, module.LOCK_EX

    def flock(fd, operation, /):
        descriptor, channel = _locked_file(fd)
        # (An int's flags as the host reads them, without a subclass's own `&`: the
        # flags of an IntFlag, say.)
        flags = int.__or__(operation, 0) if issubclass(type(operation), int) else 0
        if channel is not None and flags & unlock:
            _file_locks.pop(descriptor, None)
            detector.publishing(channel)
        result = host_flock(fd, operation)
        if channel is not None and flags & (shared | exclusive):
            _file_locks[descriptor] = channel
            detector.received(channel)
        return result

    module.flock = _builtin(flock, host_flock)
