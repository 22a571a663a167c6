"""_thread's functions are built-in functions: kept as class attributes they do not bind,
they belong to `_thread`, errors of a `_thread` thread reach sys.unraisablehook with the
thread's function, and SimpleQueue checks its timeout before the queue."""
import _queue
import _thread
import selectors
import subprocess
import sys
import threading
import time


class Holder:
    allocate = _thread.allocate_lock
    start = _thread.start_new_thread
    interval = sys.getswitchinterval


holder = Holder()
print(type(holder.allocate()).__name__, holder.interval() > 0)
print(threading.Lock.__module__, threading.Lock.__name__, _thread.start_new_thread.__module__)
print("Lock" in threading.__all__)

seen = []
sys.unraisablehook = seen.append
done = _thread.allocate_lock()
done.acquire()


def task():
    done.release()
    raise ValueError("task failed")


holder.start(task, ())
done.acquire()
deadline = time.monotonic() + 10
while not seen and time.monotonic() < deadline:
    time.sleep(0.01)
report = seen[0]
print(report.exc_type.__name__, str(report.exc_value), report.exc_traceback is not None)
print(report.object is task or report.object is None, "thread started by" in report.err_msg)
sys.unraisablehook = sys.__unraisablehook__

queue = _queue.SimpleQueue()
queue.put(1)
for timeout in (-1, -0.5):
    try:
        queue.get(timeout=timeout)
    except ValueError as error:
        print("ValueError:", error)
print(queue.get(timeout=1))

if hasattr(selectors, "PollSelector"):
    with selectors.PollSelector() as selector:
        print(selector.select(0))
result = subprocess.run([sys.executable, "-c", "print('child')"], capture_output=True, text=True)
print(result.stdout.strip(), result.returncode)
