# expect: no race
# Condition: the producer fills the box under the condition's lock and notifies; the
# consumer waits for it and then reads and empties the box.
import threading

condition = threading.Condition()


class Box:
    item = None


box = Box()
received = []


def consume():
    for _ in range(3):
        with condition:
            condition.wait_for(lambda: box.item is not None)
            received.append(box.item)
            box.item = None
            condition.notify_all()


def produce():
    for value in ("a", "b", "c"):
        with condition:
            condition.wait_for(lambda: box.item is None)
            box.item = value
            condition.notify_all()


threads = [threading.Thread(target=consume), threading.Thread(target=produce)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(received)
