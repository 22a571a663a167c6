# expect: attribute 'n' of Stats object
# Two threads increment an attribute of one instance without a lock: `stats.n += 1`
# reads the attribute, then writes it, and the other thread's update can be lost.
import threading


class Stats:
    def __init__(self):
        self.n = 0


def count(stats):
    for _ in range(100):
        stats.n += 1


stats = Stats()
threads = [threading.Thread(target=count, args=(stats,)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
