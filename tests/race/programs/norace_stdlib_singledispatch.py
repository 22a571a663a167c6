# expect: no race
# Threads that first call a singledispatch function with new classes at once: its
# dispatch cache, a WeakKeyDictionary of its own, is filled by whichever comes first.
import functools
import threading


@functools.singledispatch
def kind(value):
    return "object"


@kind.register
def _(value: int):
    return "int"


class Point:
    pass


start = threading.Barrier(4)
results = []


def work(number):
    start.wait()
    results.append((kind(number), kind(Point()), kind(str(number)), kind(float(number))))


threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(results))
