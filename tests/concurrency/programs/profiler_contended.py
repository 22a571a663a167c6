"""One cProfile profiler that threads turn on and off while others run: the process
never crashes nor hangs (free-threaded CPython 3.13 itself does: its C profiler has no
lock against the threads that call it at once)."""
import cProfile
import threading
import time

profile = cProfile.Profile()
stop = time.monotonic() + 1.5


def work():
    for _ in range(100):
        sorted([3, 1, 2])


def on_and_off():
    profile.enable()
    work()
    profile.disable()


def loop(function):
    def looped():
        while time.monotonic() < stop:
            try:
                function()
            except ValueError:
                pass  # (Another profiler is on: one profiling tool at a time.)
    return looped


threads = [threading.Thread(target=loop(function))
           for function in (work, work, on_and_off, on_and_off)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("profiled while threads ran, without a crash")
