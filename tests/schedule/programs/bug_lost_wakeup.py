# A consumer checks for work, then waits; the producer notifies in between,
# without the consumer holding the lock while it checks: the wake-up is lost
# and the consumer waits for ever (a deadlock).
import threading

condition = threading.Condition()
items = []


def consumer():
    if not items:
        with condition:
            condition.wait()
    items.pop()


def producer():
    items.append(1)
    with condition:
        condition.notify()


threads = [threading.Thread(target=consumer), threading.Thread(target=producer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
