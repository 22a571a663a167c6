# expect: contents of dict
# A view of a dict made once and iterated later reads the dict as it is then: the
# iteration, not the call that made the view, races with another thread's stores.
import threading

table = {i: i for i in range(10)}
values = table.values()


def total():
    result = 0
    for _ in range(100):
        try:
            for value in values:
                result += value
        except RuntimeError:
            pass  # the size changed under the loop
    return result


def extend():
    for key in range(10, 20):
        table[key] = key


threads = [threading.Thread(target=total), threading.Thread(target=extend)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(table))
