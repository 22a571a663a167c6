# expect: no race
# Threads that only read shared data at the same time do not race, however many reads
# they make; a write after every reader has been joined is ordered after all of them.
import threading


class Config:
    def __init__(self):
        self.limit = 10


def use(config, table, totals, index):
    total = 0
    for _ in range(200):
        total += config.limit + table["step"] + len(table)
    totals[index] = total


config = Config()
table = {"step": 1}
totals = [0, 0]
readers = [threading.Thread(target=use, args=(config, table, totals, i)) for i in range(2)]
for reader in readers:
    reader.start()
for reader in readers:
    reader.join()
config.limit = 5
table["step"] = 2
print(totals, config.limit, table)
