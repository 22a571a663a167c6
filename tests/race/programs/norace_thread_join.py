# expect: no race
# A thread's end happens before join returns: the main thread reads and overwrites
# what the workers wrote, after joining them.
import threading


class Result:
    def __init__(self):
        self.value = None


results = [Result() for _ in range(3)]


def compute(result, n):
    result.value = n * n


threads = [threading.Thread(target=compute, args=(results[n], n)) for n in range(3)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print([result.value for result in results])
for result in results:
    result.value = None
