# Check-then-act on a shared cache: both threads see the key missing and
# both compute it.
import threading

cache = {}
computed = []


def lookup(key):
    if key not in cache:
        computed.append(key)
        cache[key] = key * 2
    return cache[key]


threads = [threading.Thread(target=lookup, args=(21,)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert computed == [21], f"computed {len(computed)} times"
