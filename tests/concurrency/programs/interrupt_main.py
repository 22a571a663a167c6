"""Ctrl-C reaches the main thread while it waits: in join(), on a lock, on a queue."""
import queue
import sys
import threading

stop = threading.Event()
worker = threading.Thread(target=stop.wait, args=(30,), daemon=True)
worker.start()
waits = {
    "join": worker.join,
    "lock": threading.Lock().acquire,
    "event": threading.Event().wait,
    "queue": queue.Queue().get,
}
kind = sys.argv[1]
print("waiting", flush=True)
if kind == "lock":
    lock = threading.Lock()
    lock.acquire()
    try:
        lock.acquire()
    except KeyboardInterrupt:
        print("interrupted", kind, flush=True)
elif kind == "uncaught":
    worker.join()
else:
    try:
        waits[kind]()
    except KeyboardInterrupt:
        print("interrupted", kind, flush=True)
stop.set()
worker.join()
print("after", threading.active_count())
