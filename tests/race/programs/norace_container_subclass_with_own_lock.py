# expect: no race
# A container subclass whose methods take its own lock around the container's own
# (a "thread-safe dict", as expiringdict's ExpiringDict, an OrderedDict subclass with
# an RLock): the accesses are those of its methods' calls of the container's methods,
# under the lock, not the syntax and calls of its users, which call its methods.
import threading
from collections import OrderedDict


class LockedDict(dict):
    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()

    def __setitem__(self, key, value):
        with self.lock:
            dict.__setitem__(self, key, value)

    def __getitem__(self, key):
        with self.lock:
            return super().__getitem__(key)

    def __contains__(self, key):
        with self.lock:
            return dict.__contains__(self, key)

    def get(self, key, default=None):
        with self.lock:
            return super().get(key, default)


class LockedOrderedDict(OrderedDict):
    def __init__(self):
        super().__init__()
        self.lock = threading.RLock()

    def __setitem__(self, key, value):
        with self.lock:
            OrderedDict.__setitem__(self, key, value)

    def __delitem__(self, key):
        with self.lock:
            OrderedDict.__delitem__(self, key)

    def get(self, key, default=None):
        with self.lock:
            return OrderedDict.get(self, key, default)


class LockedList(list):
    def __init__(self):
        super().__init__([0])
        self.lock = threading.Lock()

    def __setitem__(self, index, value):
        with self.lock:
            super().__setitem__(index, value)

    def __getitem__(self, index):
        with self.lock:
            return list.__getitem__(self, index)


shared = LockedDict()
shared["k"] = 0
ordered = LockedOrderedDict()
items = LockedList()


def work(n):
    for j in range(20):
        shared["k"] = j
        shared.get("k")
        shared["k"]
        "k" in shared
        ordered[j % 3] = n
        ordered.get(j % 3)
        try:
            del ordered[(j + 1) % 3]
        except KeyError:
            pass
        items[0] = j
        items[0]


threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("ok", shared["k"] in range(20), items[0] in range(20))
