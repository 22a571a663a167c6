"""`sqlite3` connections and cursors that threads share, each used by one thread at a time.

The `sqlite3` module's C code crashes the host when threads use one cursor
at once, on every host: it lets other threads run while SQLite steps a
statement, and another thread's `execute` on the same cursor resets or
frees that statement (CPython's gh-118172 and gh-146471; a shared cursor
that two threads `execute` and `fetchall` crashes CPython 3.11 in every
run). On a free-threaded host, threads that share a connection, each with
a cursor of its own, also get wrong results and errors ("another row
available", "bad parameter or other API misuse"): the connection's
statement cache and cursor list have no lock there.

So where the guest's threads run at once (not in the GIL mode, nor under
the schedule explorer, which run one at a time), the guest's copy of
`_sqlite3` has a `Connection` and a `Cursor` that are subclasses of the C
types, named as they are, and a `connect` that makes the first by default.
Until the guest starts a thread they add only a `Connection.cursor` that
makes cursors of the guarded class (such a cursor may be shared once threads
run); from then on, the methods that reach SQLite or the connection's state
take the connection's lock (re-entrant: the program's functions SQLite
calls back may use the connection), the cursor's as well, so a connection's
cursors take turns, as SQLite itself makes them take turns on the
connection's mutex, and a connection's `execute` methods make cursors of
the guarded class too (a cursor one of them made before is not guarded).

Left unguarded: a connection of the C type itself (made by the
program's own call of the host's C `connect` with that factory), `Blob`
objects shared by threads, the setters of `isolation_level` and
`autocommit`, `interrupt`, which is meant to run while another thread
waits in a statement, and `backup`, which waits, polling, for the
transaction another thread has open on the connection to end (under the
lock, that thread could never end it).
"""

from _thread import _count
from sys import _getframe, getprofile as _getprofile, gettrace as _gettrace

from gilless.base import frames, hoststack
from gilless.base.state import world
from gilless.concurrency import generators, hostcrashes
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.systrace import call_untraced, guest_frame_from
from gilless.module.threadmodule import replace_thread_starters

# The methods of the C `Connection` that take its lock; those of `Cursor` that take its
# connection's (and `__next__`).
_CONNECTION_METHODS = ("__call__", "__exit__", "blobopen", "close", "commit",
                       "create_aggregate", "create_collation", "create_function",
                       "create_window_function", "deserialize", "enable_load_extension",
                       "getconfig", "getlimit", "load_extension", "rollback", "serialize",
                       "set_authorizer", "set_progress_handler", "set_trace_callback",
                       "setconfig", "setlimit")
_CURSOR_METHODS = ("close", "execute", "executemany", "executescript", "fetchall",
                   "fetchmany", "fetchone")
# The connection's methods that make a cursor.
_EXECUTING = ("execute", "executemany", "executescript")
# Where `connect` takes the factory among its positional parameters.
_FACTORY_INDEX = 5
# The type of a C type's method that the host calls through the type's slot
# (`Connection.__call__`).
_SLOT_WRAPPER = type(object.__init__)


def patch_module(module):
    """Give the guest's copy of `_sqlite3` the guarded `Connection`, `Cursor` and
    `connect`, whose methods take the locks once the guest runs threads."""
    c_connection, c_cursor = getattr(module, "Connection", None), getattr(module, "Cursor",
                                                                          None)
    c_connect = getattr(module, "connect", None)
    if not (isinstance(c_connection, type) and isinstance(c_cursor, type)
            and c_connect is not None):
        return
    connection, (lock_slot,) = hostcrashes._standing_for(
        c_connection, (c_connection,), {}, (hostcrashes._LOCK_SLOT,))
    cursor, (cursor_lock_slot,) = hostcrashes._standing_for(
        c_cursor, (c_cursor,), {}, (hostcrashes._LOCK_SLOT,))
    module.Connection, module.Cursor = connection, cursor
    frames.stand_in_for_c_type(connection, c_connection)
    frames.stand_in_for_c_type(cursor, c_cursor)

    def connect(*args, **kwargs):
        if len(args) <= _FACTORY_INDEX and "factory" not in kwargs:
            kwargs["factory"] = connection
        if len(args) > 1:
            # (From 3.13 a warning names the line that passes them: the caller's.)
            return hoststack.call_above(guest_frame_from(_getframe(1)), c_connect, *args,
                                        **kwargs)
        return c_connect(*args, **kwargs)

    module.connect = BuiltinFunction(connect, shown=c_connect)
    lock_of, new_lock = hostcrashes._lock_functions(lock_slot)
    connection_of = c_cursor.connection.__get__
    cursor_lock, set_cursor_lock = cursor_lock_slot.__get__, cursor_lock_slot.__set__

    def new_cursor_lock(cursor_object):
        # A cursor's lock is its connection's, kept in the cursor from its first use.
        connection_object = connection_of(cursor_object)
        try:
            lock = lock_of(connection_object)
        except AttributeError:
            lock = new_lock(connection_object)
        except TypeError:
            # Of another class (a connection of the C type): no lock.
            return None
        set_cursor_lock(cursor_object, lock)
        return lock

    def make_cursor(self, factory=cursor):
        return c_connection.cursor(self, factory)

    def new_cursor(connection_object):
        return c_connection.cursor(connection_object, cursor)

    # `cursor` makes cursors of the guarded class from the start: one made before the
    # first thread starts may be shared by the threads. (Not the `execute` methods,
    # whose cursors are seldom kept: that would cost each call 0.5 us, a third more.)
    connection.cursor = hostcrashes._as_method(connection, "cursor", _unlocked(make_cursor),
                                               c_connection.cursor, True)

    def lock_methods():
        _lock(connection, "cursor", c_connection.cursor, lock_of, new_lock, make_cursor)
        for name in _EXECUTING:
            _lock(connection, name, getattr(c_connection, name), lock_of, new_lock,
                  getattr(c_cursor, name), new_cursor)
        for name in _CONNECTION_METHODS:
            c_method = getattr(c_connection, name, None)
            if c_method is not None:
                _lock(connection, name, c_method, lock_of, new_lock)
        for name in _CURSOR_METHODS:
            _lock(cursor, name, getattr(c_cursor, name), cursor_lock, new_cursor_lock)
        # (Rows may be made by the program's converters and row factory.)
        cursor.__next__ = hostcrashes._locked_next(c_cursor, cursor_lock, new_cursor_lock,
                                                   hostcrashes._WHILE_WATCHED)

    _when_threads_run(lock_methods)


def _lock(cls, name, c_method, lock_of, new_lock, called=None, inner=None):
    """Give `cls` method `name`, C method `c_method` (or `called`, with the object or what
    `inner` gives of it) under the lock `lock_of` gives (`new_lock` where the object
    has none yet), whose calls a profiler hears of as of the C method's, but those of
    a slot's (`__call__`), which the host calls with no such report."""
    setattr(cls, name, hostcrashes._locked_method(
        cls, name, called or c_method, lock_of, new_lock, inner,
        reported=type(c_method) is not _SLOT_WRAPPER, shown=c_method))


def _unlocked(called):
    """A method that calls `called`: whatever frame that starts follows the caller's
    while a tracer, a profiler or a monitoring tool is on (see
    generators.call_from_caller)."""
    def method(self, /, *args, **kwargs):
        try:
            if _gettrace() is None and _getprofile() is None and \
                    not generators._monitoring.callbacks:
                return called(self, *args, **kwargs)
            return generators._watched_step(called, self, *args, **kwargs)
        except BaseException as error:
            error.__traceback__ = frames.without_internal_frames(error.__traceback__)
            raise

    return method


def _when_threads_run(install):
    """Call `install` now if the guest runs threads, else as its first thread starts:
    the guest's `_thread` (and `threading`, where it has bound them) get thread
    starters that call it first."""
    if _count() > hostcrashes._own_threads:
        install()
        return
    thread_module = world.modules.get("_thread")
    if thread_module is None:
        install()
        return
    installed = []

    def starting(start):
        def start_thread(*args, **kwargs):
            if not installed:
                installed.append(True)
                call_untraced(install)
            return start(*args, **kwargs)

        return BuiltinFunction(start_thread, shown=start)

    replace_thread_starters(thread_module, world.modules.get("threading"), starting)
