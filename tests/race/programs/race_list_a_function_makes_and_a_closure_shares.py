# expect: item 0 of list
# A list that a function makes and that an inner function names is shared with
# whichever thread runs the inner function: their updates race.
import threading
import time


def work():
    counts = [0]

    def bump():
        counts[0] += 1

    thread = threading.Thread(target=bump)
    thread.start()
    time.sleep(0.1)
    counts[0] += 1
    thread.join()
    return counts[0]


print(work())
