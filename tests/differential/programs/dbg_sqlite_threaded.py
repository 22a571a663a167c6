# modes: default, gil, race
# sqlite3 used before and after the program starts a thread (which is when gilless
# makes a connection's cursors take turns): the classes, their documentation and
# signatures, errors and their tracebacks, the stack a function SQL calls sees, a
# tracer's and a profiler's view are CPython's.
import cProfile
import inspect
import io
import pstats
import sqlite3
import sys
import threading
import traceback
import warnings


def describe():
    connection = sqlite3.connect(":memory:")
    cursor = connection.cursor()
    print(type(connection), type(cursor), repr(connection).split(" at ")[0],
          isinstance(connection, sqlite3.Connection), isinstance(cursor, sqlite3.Cursor))
    print(sqlite3.connect, sqlite3.Connection.execute.__name__,
          sqlite3.Connection.execute.__qualname__, sqlite3.Cursor.fetchmany.__doc__)
    for method in (sqlite3.Connection.execute, sqlite3.Connection.cursor,
                   sqlite3.Cursor.execute, sqlite3.Cursor.fetchmany, connection.commit):
        try:
            print(method.__name__, inspect.signature(method))
        except ValueError as error:
            print(method.__name__, error)
    connection.close()

    class Counting(sqlite3.Cursor):
        made = 0

        def __init__(self, connection):
            super().__init__(connection)
            Counting.made += 1

    class Logging(sqlite3.Connection):
        def cursor(self, factory=Counting):
            return super().cursor(factory=factory)

    connection = sqlite3.connect(":memory:", factory=Logging)
    cursor = connection.cursor()
    print(type(connection).__name__, type(cursor).__name__, Counting.made,
          type(connection.cursor(factory=sqlite3.Cursor)).__name__,
          cursor.execute("select 1").fetchall(), list(connection.execute("select 2")),
          isinstance(cursor, sqlite3.Cursor))
    connection.close()


def errors():
    connection = sqlite3.connect(":memory:")
    for statement in (lambda: connection.execute("select nothing from nowhere"),
                      lambda: connection.cursor().execute(42),
                      lambda: connection.execute("select ?", (1, 2)),
                      lambda: connection.cursor().fetchmany(size="x")):
        try:
            statement()
        except Exception as error:
            print("".join(traceback.format_exception_only(error)).strip())
            print([entry.name for entry in traceback.extract_tb(error.__traceback__)])
    connection.close()
    try:
        connection.execute("select 1")
    except sqlite3.ProgrammingError as error:
        print("closed:", error, [entry.name for entry in
                                 traceback.extract_tb(error.__traceback__)])


def callbacks():
    connection = sqlite3.connect(":memory:")

    def shout(text):
        # (With no tracer or profiler on, the stack holds the frame of gilless's that took
        # the lock, beneath this one, once the program has started a thread.)
        print("stack:", [frame.function for frame in inspect.stack()][0])
        return text.upper()

    def failing(text):
        raise ValueError("no " + text)

    connection.create_function("shout", 1, shout)
    connection.create_function("failing", 1, failing)
    print(connection.execute("select shout('a')").fetchone())
    sqlite3.enable_callback_tracebacks(True)
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: print(
        "unraisable:", repr(unraisable.exc_value), [entry.name for entry in
                                                     traceback.extract_tb(unraisable.exc_traceback)])
    try:
        connection.execute("select failing('b')").fetchone()
    except sqlite3.OperationalError as error:
        print("callback failed:", error)
    sys.unraisablehook = hook
    connection.row_factory = lambda cursor, row: ("row", *row)
    print(list(connection.execute("select 1 union select 2")))
    connection.close()


def traced():
    connection = sqlite3.connect(":memory:")
    events = []

    def twice(n):
        events.append(("stack", [frame.function for frame in inspect.stack()][:3]))
        return 2 * n

    connection.create_function("twice", 1, twice)

    def tracer(frame, event, arg):
        if frame.f_code.co_filename == __file__:
            events.append((event, frame.f_code.co_name, frame.f_back.f_code.co_name))
        return tracer

    def profiler(frame, event, arg):
        if event.startswith("c_") and frame.f_code.co_filename == __file__:
            events.append((event, getattr(arg, "__qualname__", arg)))

    def work():
        # (CPython reports `__exit__`'s call, not that of `__call__`, a slot's.)
        with connection:
            connection("select 1")
        return connection.execute("select twice(3)").fetchall()

    sys.settrace(tracer)
    work()
    sys.settrace(None)
    sys.setprofile(profiler)
    work()
    sys.setprofile(None)
    for event in events:
        print(event)
    connection.close()


def profiled():
    connection = sqlite3.connect(":memory:")
    connection.execute("create table t(x)")
    profile = cProfile.Profile()
    profile.enable()
    for n in range(3):
        connection.execute("insert into t values (?)", (n,))
    cursor = connection.cursor()
    rows = cursor.execute("select x from t").fetchall()
    connection.commit()
    profile.disable()
    print(rows)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("name").print_stats()
    print("\n".join(sorted(line.split(None, 5)[-1] for line in out.getvalue().splitlines()
                           if "{" in line)))
    connection.close()


def run_all():
    describe()
    errors()
    callbacks()
    traced()
    profiled()


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    sqlite3.connect(":memory:", 5.0).close()
print([(w.category.__name__, w.filename == __file__, w.lineno) for w in caught])
print("-- before a thread")
run_all()
thread = threading.Thread(target=lambda: None)
thread.start()
thread.join()
print("-- after a thread")
run_all()
print("-- in a thread")
thread = threading.Thread(target=run_all)
thread.start()
thread.join()
