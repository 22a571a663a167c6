# expect: no race
# `a = value(); b = box.v; c = box.v * 2` is one run whose first statement calls: the
# run's reads are reported together after that statement, and `value` takes the lock
# that the other thread wrote `box.v` under, so they are ordered after that write.
import threading
import time


class Box:
    v = 0


lock = threading.Lock()


def write(box):
    with lock:
        box.v = 1


def value():
    with lock:
        return 5


def read(box, out):
    a = value()
    b = box.v
    c = box.v * 2
    out.append(a + b + c)


box = Box()
out = []
writer = threading.Thread(target=write, args=(box,))
writer.start()
time.sleep(0.2)
reader = threading.Thread(target=read, args=(box, out))
reader.start()
reader.join()
writer.join()
print(out)
