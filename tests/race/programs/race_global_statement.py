# expect: global 'counter' of module __main__
# A module global rebound through `global` from two threads.
import threading

counter = 0


def increment():
    global counter
    for _ in range(100):
        counter += 1


threads = [threading.Thread(target=increment) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
