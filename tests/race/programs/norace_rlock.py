# expect: no race
# RLock: a re-entrant critical section; the outermost release happens before the next
# thread's acquire.
import threading

lock = threading.RLock()
totals = [0]


def add(amount):
    with lock:
        totals[0] = totals[0] + amount


def work():
    for _ in range(50):
        with lock:
            add(1)
            add(2)


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(totals[0])
