"""Threads sharing one `sqlite3` cursor, and one connection: the process never crashes
(CPython 3.11 itself crashes on the shared cursor in almost every run, and a
free-threaded 3.13 also gives wrong errors on the shared connection, where gilless
makes a connection's cursors take turns), and no statement fails."""
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from startedtogether import together

THREADS = 3
ROUNDS = 3000
ROWS = 50


def new_connection():
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute("create table t(x)")
    connection.executemany("insert into t values (?)", ((n,) for n in range(ROWS)))
    return connection


def shared_cursor():
    # Made before the threads start, as a program keeps one on an object the threads
    # share. Between one thread's `execute` and its `fetchall` another may run its own:
    # a fetch gets what is left of the rows, some or none.
    cursor = new_connection().cursor()
    errors, fetched = [], []

    def run(index):
        for _ in range(ROUNDS):
            try:
                rows = cursor.execute("select x from t").fetchall()
                fetched.append(set(rows) <= {(n,) for n in range(ROWS)})
            except Exception as error:
                errors.append(repr(error))

    together(run, THREADS)
    print("shared cursor:", len(fetched), all(fetched), sorted(set(errors)))


def shared_connection():
    # A writer and two readers, each with cursors of its own.
    connection = new_connection()
    errors, went_back = [], []

    def run(index):
        last = 0
        for n in range(ROUNDS):
            try:
                if index == 0:
                    connection.execute("insert into t values (?)", (ROWS + n,))
                    connection.commit()
                else:
                    count, = connection.execute("select count(*) from t where x >= ?",
                                                (0,)).fetchone()
                    went_back.append(count < last)
                    last = count
            except Exception as error:
                errors.append(repr(error))

    together(run, THREADS)
    count, = connection.execute("select count(*) from t").fetchone()
    print("shared connection:", count, any(went_back), sorted(set(errors)))


def shared_iteration():
    # One query's rows, taken by all the threads: each row by one.
    connection = new_connection()
    connection.executemany("insert into t values (?)", ((n,) for n in range(ROWS, 20000)))
    cursor = connection.execute("select x from t")
    seen = [[] for _ in range(THREADS)]

    def run(index):
        for row in cursor:
            seen[index].append(row[0])

    together(run, THREADS)
    rows = [x for own in seen for x in own]
    print("shared iteration:", len(rows), sorted(rows) == list(range(20000)))


def shared_transactions():
    # Workers of a pool, each writing in a transaction of the connection (`with`), reading
    # back, and now and then backing the database up, which waits for the transaction
    # others have open to end.
    connection = new_connection()
    errors = []

    def work(n):
        try:
            with connection:
                connection.execute("insert into t values (?)", (ROWS + n,))
            rows = connection.execute("select x from t where x % 7 = ?", (n % 7,)).fetchall()
            if not all(x % 7 == n % 7 for x, in rows):
                errors.append("a row of another query")
            if n % 100 == 0:
                copy = sqlite3.connect(":memory:")
                connection.backup(copy)
                copy.close()
        except Exception as error:
            errors.append(repr(error))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(ROUNDS // 3)))
    count, = connection.execute("select count(*) from t").fetchone()
    print("shared transactions:", count, sorted(set(errors)))


shared_cursor()
shared_connection()
shared_iteration()
shared_transactions()
