# expect: item 0 of list
# A list that a function makes is its own only while it stays in the function's frame:
# handed to another thread (here as the thread's argument), its items are shared, and
# the two threads' updates race.
import threading
import time


def bump(counts):
    counts[0] += 1


def work():
    counts = [0, 0]
    thread = threading.Thread(target=bump, args=(counts,))
    thread.start()
    time.sleep(0.1)
    counts[0] += 1
    thread.join()
    return counts[0]


print(work())
