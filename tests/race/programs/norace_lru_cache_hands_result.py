# expect: no race
# A function whose results `functools.lru_cache` (or `cache`) keeps hands what it returns
# to the threads that call it later with the same arguments: they read what the first
# caller's thread wrote into it (here the settings it made, and the items of a tuple it
# returned), as if they had taken it from the cache's lock. (The later callers wait for a
# file the first creates, which orders nothing for the detector.)
import functools
import os
import tempfile
import threading
import time

made = os.path.join(tempfile.mkdtemp(), "made")


class Settings:
    pass


@functools.lru_cache(maxsize=None)
def settings(name):
    made = Settings()
    made.name = name
    made.retries = 3
    return made


class Store:
    @functools.cache
    def pair(self, key):
        first, second = Settings(), {}
        first.key = key
        second["key"] = key
        return first, second


store = Store()


def first():
    settings("main")
    store.pair("k")
    open(made, "w").close()


def later():
    while not os.path.exists(made):
        time.sleep(0.01)
    current = settings("main")
    first, second = store.pair("k")
    print(current.name, current.retries, first.key, second["key"])


threads = [threading.Thread(target=first), threading.Thread(target=later)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
os.remove(made)
os.rmdir(os.path.dirname(made))
