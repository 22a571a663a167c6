# first: sleep sleepy_io.py:11
# Threads that mostly wait for (simulated) I/O.
import threading
import time


def worker(out, index):
    total = 0
    for i in range(40):
        total += sum(range(200))
        time.sleep(0.01)
    out[index] = total


out = [0, 0]
threads = [threading.Thread(target=worker, args=(out, i)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sum(out))
