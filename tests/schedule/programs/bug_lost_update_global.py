# Two threads increment a global counter and a closure's counter without a lock
# (`global count; count += 1`, `nonlocal`): an update is lost when both read the old
# value before either writes.
import threading

count = 0


def make_counter():
    hits = 0

    def hit():
        nonlocal hits
        seen = hits
        hits = seen + 1

    return hit, lambda: hits


hit, hits = make_counter()


def work():
    global count
    count += 1
    hit()


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert (count, hits()) == (2, 2), f"lost update of a variable: {count}, {hits()}"
