# expect: item 'visits' of dict
# `d[k] = d.get(k, 0) + 1` from two threads: get and store are each atomic, but the
# pair is not, and the store can overwrite the other thread's count.
import threading

counts = {}


def visit():
    for _ in range(100):
        counts["visits"] = counts.get("visits", 0) + 1


threads = [threading.Thread(target=visit) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
