# expect: item 'hits' of dict
# Two threads read and write one key of a dict: `d[k] = d[k] + 1` is a read, then a
# write, of item 'hits'.
import threading

counts = {"hits": 0}


def work():
    for _ in range(100):
        counts["hits"] = counts["hits"] + 1


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
