# expect: no race
# queue.Queue: put happens before the get that returns the item, so the consumer may
# update the objects it receives; task_done/join order the consumer's work before the
# producer reads it.
import queue
import threading


class Order:
    def __init__(self, number):
        self.number = number
        self.state = "new"


orders = [Order(n) for n in range(5)]
work = queue.Queue()


def worker():
    while True:
        order = work.get()
        if order is None:
            work.task_done()
            return
        order.state = f"packed-{order.number}"
        work.task_done()


thread = threading.Thread(target=worker)
thread.start()
for order in orders:
    work.put(order)
work.join()
print([order.state for order in orders])
work.put(None)
thread.join()
