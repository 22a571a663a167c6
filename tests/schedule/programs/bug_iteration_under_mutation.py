# One thread sums a registry while another registers an entry: the loop
# finds the dict changed size during iteration.
import threading

registry = {"a": 1, "b": 2}


def register():
    registry["c"] = 3


def total():
    result = 0
    for name in registry:
        result += registry[name]
    return result


threads = [threading.Thread(target=register), threading.Thread(target=total)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
