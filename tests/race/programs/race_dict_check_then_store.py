# expect: item 'config' of dict
# `if k not in d: d[k] = ...` from two threads: both can find the key missing and both
# build the value (a lost update for a cache of expensive objects).
import threading

cache = {}


def lookup(key):
    if key not in cache:
        cache[key] = object()
    return cache[key]


threads = [threading.Thread(target=lookup, args=("config",)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
