# expect: no race
# `with lock:` acquires and releases the lock: a counter in a dict updated under it.
import threading

lock = threading.Lock()
counts = {"n": 0}


def work():
    for _ in range(100):
        with lock:
            counts["n"] = counts["n"] + 1


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(counts["n"])
