# A program that breaks `collections.abc`'s registration before it starts its first
# thread still starts it: on hosts where gilless guards `OrderedDict` (free-threaded
# 3.13), that start registers the guarded views with `collections.abc`, as the C views are.
import collections.abc
import threading
from collections import OrderedDict


def refuse(cls, subclass):
    raise RuntimeError("no registering")


collections.abc.KeysView.register = classmethod(refuse)
collections.abc.ItemsView.register = classmethod(refuse)
mapping = OrderedDict(a=1, b=2)
thread = threading.Thread(target=lambda: print("the thread:", list(mapping.keys())))
thread.start()
thread.join()
print(list(mapping.items()), isinstance(mapping.values(), collections.abc.ValuesView))
