# A lazily created singleton without a lock: two instances are made.
import threading

_instance = None
created = []


class Service:
    def __init__(self):
        created.append(self)


def get_service():
    global _instance
    if _instance is None:
        _instance = Service()
    return _instance


results = []
threads = [threading.Thread(target=lambda: results.append(get_service())) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert len(created) == 1, f"{len(created)} instances"
