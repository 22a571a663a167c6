# expect: no race
# A key removed from a dict or set is let go as without the detector (whose records of
# a container's keys would hold it): its finalizer runs when the program drops it, and
# a `WeakSet` that threads use under a lock (tqdm's set of its bars) calls no callback
# for a weak reference it removed, which would change the set outside the lock.
import threading
import weakref


class Key:
    def __init__(self, number):
        self.number = number

    def __del__(self):
        finalised.append(self.number)


class Bar:
    pass


finalised = []
table, members = {}, set()
lock = threading.Lock()
instances = weakref.WeakSet()


def keys():
    key = Key(1)
    with lock:
        table[key] = 1
    with lock:
        del table[key]
    key = Key(2)
    with lock:
        members.add(key)
    with lock:
        members.discard(key)
    del key


def bars():
    for _ in range(40):
        bar = Bar()
        with lock:
            instances.add(bar)
            len(list(instances))
        with lock:
            instances.remove(bar)
        del bar


keys_thread = threading.Thread(target=keys)
keys_thread.start()
keys_thread.join()
print("finalised once removed:", finalised)
threads = [threading.Thread(target=bars) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("bars left:", len(instances))
