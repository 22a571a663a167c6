# Two workers and the main thread write their steps to a shared log: the order
# printed is the interleaving the scheduler chose.
import threading


class Log:
    def __init__(self):
        self.entries = []


log = Log()


def worker(name):
    for step in range(3):
        log.entries.append(f"{name}{step}")


threads = [threading.Thread(target=worker, args=(name,)) for name in "ab"]
for thread in threads:
    thread.start()
log.entries.append("main")
for thread in threads:
    thread.join()
print(" ".join(log.entries))
