# expect: no race
# An object that only a list refers to, the list dropped: the detector holds the list
# until a sweep finds nothing else does, which may be another thread's. The object is
# still finalised in a thread that used it (the one whose sweep did not make it): an
# SQLite connection is closed in the thread that opened it, as its check requires.
import sqlite3
import threading

finalised = []


class Store:
    def __init__(self):
        self.connection = sqlite3.connect(":memory:")

    def __del__(self):
        try:
            self.connection.close()
            closed = "closed"
        except sqlite3.ProgrammingError as error:
            closed = type(error).__name__
        finalised.append((threading.current_thread().name, closed))


def touch_fresh_lists(count, passing=[]):
    # Each list is a new object the detector holds, until a sweep (one that its
    # function only keeps in its frame makes no event: this one is passed on).
    for number in range(count):
        box = [number]
        passing.append(box)
        box[0]
        passing.pop()


# The main thread's object, in a list that another thread reads; dropped once that
# thread has ended, and found so by the sweep of a thread started later.
stores = [Store()]
reader = threading.Thread(target=lambda: stores[0].connection, name="reader")
reader.start()
reader.join()
stores = None
sweeper = threading.Thread(target=touch_fresh_lists, args=(10000,), name="sweeper")
sweeper.start()
sweeper.join()

# A thread's own object, dropped while it waits, found so by the main thread's sweep.
dropped, resume = threading.Event(), threading.Event()


def owner():
    mine = [Store()]
    mine[0]
    mine = None
    dropped.set()
    resume.wait()


worker = threading.Thread(target=owner, name="owner")
worker.start()
dropped.wait()
touch_fresh_lists(10000)
resume.set()
worker.join()
print(finalised)
