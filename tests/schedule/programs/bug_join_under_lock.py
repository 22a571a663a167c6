# The main thread holds a lock while it waits for a worker that needs the lock.
import threading

registry_lock = threading.Lock()
registry = {}


def register():
    with registry_lock:
        registry["worker"] = True


worker = threading.Thread(target=register)
with registry_lock:
    worker.start()
    worker.join()
print(registry)
