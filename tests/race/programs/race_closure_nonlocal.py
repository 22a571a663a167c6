# expect: variable 'hits' of closure make_counter.<locals>.hit
# A closure variable rebound through `nonlocal` by two threads.
import threading


def make_counter():
    hits = 0

    def hit():
        nonlocal hits
        hits += 1

    def total():
        return hits

    return hit, total


hit, total = make_counter()


def work():
    for _ in range(100):
        hit()


threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
