# expect: item 'k' of Lowered
# A container subclass's method that calls the container's own method without a lock:
# that call is the access (here `super().__setitem__` in `__setitem__`, which
# `shared[key] = value` calls), and two threads that make it race.
import threading


class Lowered(dict):
    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)


shared = Lowered()


def work(n):
    shared["K"] = n


threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(shared))
