# expect: attribute 'y' of Point object
# `p.x * p.x + p.y * p.y` reads `x` and `y` of `p`, reported together before the
# expression is computed: the read of `y` races with the other thread's write of it.
import threading
import time


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def norm(point, out):
    out.append(point.x * point.x + point.y * point.y)


def move(point):
    time.sleep(0.1)
    point.y = 5


point = Point(1, 2)
out = []
threads = [threading.Thread(target=norm, args=(point, out)),
           threading.Thread(target=move, args=(point,))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
