# expect: no race
# Two threads update one dict with different keys: each update is atomic and writes
# only its own keys, so they never race; the main thread reads both after join.
import threading

totals = {}


def add(key):
    for n in range(100):
        totals.update({key: n})
        totals.update(**{key + "_kw": n})


threads = [threading.Thread(target=add, args=(key,)) for key in ("a", "b")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(totals.items()))
