# expect: no race
# The detector runs none of the program's code to compare keys: a dict key or set
# member whose `__hash__` and `__eq__` are Python code has them called exactly as often
# as without the detector, while other threads run (the counts printed), and a key whose
# `__eq__` calls the cache it is a key of (cachetools' test_decorator_needs_rlock) ran
# into RecursionError through the detector's own lookups of its records.
import threading
import weakref

calls = {"__hash__": 0, "__eq__": 0}


class Key:
    def __init__(self, use_cache, name):
        self.use_cache = use_cache
        self.name = name

    def __hash__(self):
        calls["__hash__"] += 1
        return hash(self.use_cache)

    def __eq__(self, other):
        calls["__eq__"] += 1
        if self.use_cache:
            # Under the cache's lock: a reentrant one.
            cached(self)
        return self.use_cache == other.use_cache


cache, pending, lock = {}, set(), threading.RLock()


def cached(key):
    entry = (key,)
    with lock:
        if entry in pending:
            raise RuntimeError("recursive call")
        if entry in cache:
            return cache[entry]
        pending.add(entry)
    try:
        with lock:
            cache[entry] = key.name
            return key.name
    finally:
        with lock:
            pending.discard(entry)


def worker():
    # (Another thread runs, and has used the cache: its records are kept.)
    cached(Key(False, "worker"))
    primed.set()
    done.wait()


primed, done = threading.Event(), threading.Event()
thread = threading.Thread(target=worker)
thread.start()
primed.wait()
try:
    cached(Key(True, "first"))
    print(cached(Key(True, "second")), calls)
    members = weakref.WeakSet()
    keys = [Key(False, str(number)) for number in range(3)]
    for key in keys:
        members.add(key)
    print(keys[1] in members, len(members), calls)
finally:
    done.set()
    thread.join()
