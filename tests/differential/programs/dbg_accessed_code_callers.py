# modes: default, gil, race
# Code that an attribute or item access runs (a property's getter and setter,
# `__getattr__`, `__getitem__`, `__setitem__`, `__contains__`, `__eq__`) is called from
# the frame of the expression that makes the access, as in CPython, also where the
# object is no variable of the frame (`make().value`, `self.box.value = v`), where the
# race detector reports the access before the program's own code makes it; and so is
# the code that a container's method, an index or a collection runs.
import gc
import inspect
import sys
import threading
import traceback


def callers():
    here = sys._getframe(1)
    return here.f_back.f_code.co_name, [frame.function for frame in inspect.stack()[2:4]]


class Box:
    def __init__(self):
        self.stored = {}

    @property
    def value(self):
        print("getter called by", callers())
        return 1

    @value.setter
    def value(self, new):
        print("setter called by", callers())

    def __getattr__(self, name):
        print("__getattr__", name, "called by", callers())
        if name == "missing":
            raise AttributeError(name)
        return 2

    def __getitem__(self, key):
        print("__getitem__ called by", callers())
        return self.stored.get(key)

    def __setitem__(self, key, value):
        print("__setitem__ called by", callers())
        self.stored[key] = value

    def __contains__(self, key):
        print("__contains__ called by", callers())
        return key in self.stored

    def __eq__(self, other):
        print("__eq__ called by", callers())
        return other is self

    __hash__ = object.__hash__


class Holder:
    def __init__(self):
        self.box = Box()

    def use(self, key):
        print(self.box.value, self.box.computed)
        self.box.value = 3
        self.box[key] = 4
        print(self.box[key], key in self.box, key not in self.box)
        box = self.box
        print(box in [Box(), box])


def make():
    return Box()


def main():
    holder = Holder()
    holder.use("k")
    print(make().value)
    make().value = 5
    key = "k"
    make()[key] = 6
    print(make()[key], key in make())
    try:
        make().missing
    except AttributeError:
        traceback.print_exc(file=sys.stdout)


class Index:
    def __index__(self):
        print("__index__ called by", callers())
        return 0


class Ordered:
    def __init__(self, number):
        self.number = number

    def __lt__(self, other):
        print("__lt__ called by", callers())
        return self.number < other.number


class Garbage:
    def __init__(self):
        self.itself = self

    def __del__(self):
        print("__del__ called by", callers())


class Removable(Box):
    def __delitem__(self, key):
        print("__delitem__ called by", callers())


def more():
    items = [[10, 20]]
    print(items[0][Index()])
    [Ordered(2), Ordered(1)].sort()
    holder = [Removable()]
    del holder[0][make]
    Garbage()
    gc.collect()


# Another thread alive meanwhile: the detector reports every access.
done = threading.Event()
waiter = threading.Thread(target=done.wait)
waiter.start()
main()
more()
done.set()
waiter.join()
