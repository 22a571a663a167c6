# expect: no race
# Semaphore.release happens before the acquire it lets through: a hand-off of slots.
import threading

filled = threading.Semaphore(0)
slots = [None] * 3


def produce():
    for index in range(3):
        slots[index] = f"item-{index}"
        filled.release()


def consume():
    for index in range(3):
        filled.acquire()
        print(slots[index])
        slots[index] = None


threads = [threading.Thread(target=consume), threading.Thread(target=produce)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
