# expect: no race
# Each thread owns one slot of a shared list: items are located per index, so
# writes to different indexes do not race; the main thread reads them after join.
import threading

results = [0] * 4


def work(index):
    for step in range(100):
        results[index] += step


threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(results)
