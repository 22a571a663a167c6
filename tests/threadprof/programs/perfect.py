# first: none
# first-with-gil: gil
# Independent work on thread-local data: scales with the cores.
import threading


def worker(out, index):
    total = 0
    for i in range(4_000_000):
        total = (total + i * i) % 1000003
    out[index] = total


out = [0, 0]
threads = [threading.Thread(target=worker, args=(out, i)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sum(out))
