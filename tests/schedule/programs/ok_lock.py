# A counter under a lock never loses an update.
import threading


class Counter:
    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()


counter = Counter()


def work():
    for _ in range(3):
        with counter.lock:
            counter.value += 1


threads = [threading.Thread(target=work) for _ in range(3)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert counter.value == 9, counter.value
print("total", counter.value)
