# Two threads increment a shared counter without a lock: an update is lost
# when both read the old value before either writes.
import threading


class Counter:
    def __init__(self):
        self.value = 0


counter = Counter()


def work():
    for _ in range(2):
        counter.value += 1


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert counter.value == 4, f"lost update: {counter.value}"
