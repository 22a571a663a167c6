# A consumer waits on a condition for a predicate, in a loop, under the lock.
import threading

condition = threading.Condition()
items = []
taken = []


def consumer():
    for _ in range(2):
        with condition:
            while not items:
                condition.wait()
            taken.append(items.pop(0))


def producer():
    for value in range(2):
        with condition:
            items.append(value)
            condition.notify()


threads = [threading.Thread(target=consumer), threading.Thread(target=producer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert taken == [0, 1], taken
print(taken)
