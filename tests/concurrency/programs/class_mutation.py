"""Methods called while other threads replace them, reassign __class__ and __bases__."""
import threading

ROUNDS = 400
READERS = 4


class Target:
    def method(self):
        return "old"


def new_method(self):
    return "new"


def old_method(self):
    return "old"


class A:
    def who(self):
        return "A"


class B:
    def who(self):
        return "B"


class Left:
    def side(self):
        return "left"


class Right:
    def side(self):
        return "right"


class Child(Left):
    pass


objects = [A() for _ in range(8)]
done = threading.Event()
bad = []
seen = set()


def mutate():
    for i in range(ROUNDS):
        Target.method = new_method if i % 2 else old_method
        for o in objects:
            o.__class__ = B if i % 2 else A
        Child.__bases__ = (Right,) if i % 2 else (Left,)
    Target.method = new_method
    for o in objects:
        o.__class__ = B
    Child.__bases__ = (Right,)
    done.set()


def read():
    target = Target()
    child = Child()
    while not done.is_set():
        mro = Child.__mro__
        results = (target.method(), objects[3].who(), child.side(),
                   mro[1] in (Left, Right) and len(mro) == 3)
        if results[0] not in ("old", "new") or results[1] not in ("A", "B") \
                or results[2] not in ("left", "right") or results[3] is not True:
            bad.append(results)
        seen.add(results[:3])
    final = (target.method(), objects[3].who(), child.side(), Child.__mro__[1].__name__)
    if final != ("new", "B", "right", "Right"):
        bad.append(("stale after mutation", final))


readers = [threading.Thread(target=read) for _ in range(READERS)]
for t in readers:
    t.start()
mutator = threading.Thread(target=mutate)
mutator.start()
mutator.join()
for t in readers:
    t.join()
assert not bad, bad[:5]
print("class mutation: consistent")
