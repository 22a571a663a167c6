# expect: item 'last' of dict
# Misuse of a standard library object: collections.UserDict is pure Python, and two
# threads storing one key without a lock race inside UserDict.__setitem__ (on the
# dict it keeps in `self.data`). The report shows the program's frames that called it.
import collections
import threading

status = collections.UserDict()


def record(name):
    for step in range(20):
        status["last"] = (name, step)


threads = [threading.Thread(target=record, args=(name,)) for name in "ab"]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
