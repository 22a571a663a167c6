"""A small tour: classes, generators, the standard library, and two threads."""

import dataclasses
import json
import sys
import threading


@dataclasses.dataclass
class Point:
    x: int
    y: int

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)


def squares(n):
    for i in range(n):
        yield i * i


counts = {}
lock = threading.Lock()


def count(name, n):
    for _ in range(n):
        with lock:
            counts[name] = counts.get(name, 0) + 1


threads = [threading.Thread(target=count, args=(f"t{i}", 10_000)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()

print(f"Hello from {sys.implementation.name} on Python {sys.version_info[0]}.{sys.version_info[1]}")
print(Point(1, 2) + Point(3, 4))
print(json.dumps({"squares": list(squares(5)), "counts": counts}, sort_keys=True))
