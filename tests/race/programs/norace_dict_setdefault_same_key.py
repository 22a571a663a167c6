# expect: no race
# dict.setdefault is atomic: two threads calling it with the same key agree on one
# value without a lock.
import threading

registry = {}
chosen = [None, None]


def register(index):
    chosen[index] = registry.setdefault("handler", f"handler-{index}")


threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(chosen[0] == chosen[1] == registry["handler"])
