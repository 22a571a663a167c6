# expect: attribute 'z' of Point object
# `x = point.x; y = point.y` reads `x` and `y` of `point`, reported together before the
# two statements, and `z = point.z if x else 0` reads `z` only when `x` is true,
# reported where it is made: both race with the other thread's writes.
import threading
import time


class Point:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


def norm(point, out):
    x = point.x
    y = point.y
    z = point.z if x else 0
    out.append(x * x + y * y + z * z)


def move(point):
    time.sleep(0.1)
    point.y = 5
    point.z = 6


point = Point(1, 2, 3)
out = []
threads = [threading.Thread(target=norm, args=(point, out)),
           threading.Thread(target=move, args=(point,))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
