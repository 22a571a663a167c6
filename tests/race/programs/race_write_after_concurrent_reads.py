# expect: attribute 'limit' of Config object
# Two threads read a setting at the same time (reads by concurrent threads, which the
# detector keeps one by one) while the main thread changes it without a lock: the
# write races with the reads of both, whatever the order in which they ran.
import threading


class Config:
    def __init__(self):
        self.limit = 10


def use(config, table, totals, index):
    total = 0
    for _ in range(200):
        total += config.limit + table["step"]
    totals[index] = total


config = Config()
table = {"step": 1}
totals = [0, 0]
readers = [threading.Thread(target=use, args=(config, table, totals, i)) for i in range(2)]
for reader in readers:
    reader.start()
config.limit = 5
for reader in readers:
    reader.join()
print("done")
