# expect: no race
# Reads that an expression makes only on one branch of a condition (`late` here, in
# `box.done + box.done + (box.late if late else 0)` with `late` false) are not made,
# so they race with nothing: the other thread writes `box.late` meanwhile. So too in a
# run of statements whose reads are reported together (`first = box.done; second = ...`).
import threading


class Box:
    def __init__(self):
        self.done = 1
        self.late = 0


def read(box, late, out):
    for _ in range(200):
        out.append(box.done + box.done + (box.late if late else 0))
        out.append(box.done * box.done or box.late * box.late)
        first = box.done
        second = box.late if late else box.done
        out.append(first + second)


def write(box):
    for value in range(200):
        box.late = value


box = Box()
out = []
threads = [threading.Thread(target=read, args=(box, False, out)),
           threading.Thread(target=write, args=(box,))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(out), sum(out))
