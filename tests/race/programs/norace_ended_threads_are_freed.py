# expect: no race
# A thread's Thread object, and what it holds, is freed once the program lets go of it
# after the thread ended, as without the detector (which names ended threads in its
# reports, and must keep their names, not the objects). A Thread subclass keeps an
# object in its own attribute, as anyio's worker threads keep their event loop.
import gc
import threading
import weakref


class Payload:
    pass


class Worker(threading.Thread):
    def __init__(self, payload):
        super().__init__()
        self.payload = payload

    def run(self):
        self.payload.seen = True


def start_and_join(thread_count):
    references = []
    for _ in range(thread_count):
        payload = Payload()
        worker = Worker(payload)
        worker.start()
        worker.join()
        references.append((weakref.ref(worker), weakref.ref(payload)))
    return references


references = start_and_join(50)
gc.collect()
print("threads alive", sum(thread() is not None for thread, _ in references))
print("payloads alive", sum(payload() is not None for _, payload in references))
