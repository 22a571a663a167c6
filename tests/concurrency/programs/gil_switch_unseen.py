"""Threads that take turns (the GIL mode's forced switches) show a profiler and a
monitoring tool no call that the program did not make."""
import sys
import threading
import time

seen = set()


def profile(frame, event, arg):
    if event.startswith("c_"):
        seen.add(getattr(arg, "__name__", "?"))


def spin():
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        pass


def run_threads():
    threads = [threading.Thread(target=spin) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


threading.setprofile(profile)
run_threads()
threading.setprofile(None)
print("profiled:", sorted(name for name in seen if "gilless" in name))

if hasattr(sys, "monitoring"):
    monitoring = sys.monitoring
    called = set()

    def on_call(code, offset, callable, arg0):
        called.add(getattr(callable, "__name__", "?"))

    monitoring.use_tool_id(3, "test")
    monitoring.register_callback(3, monitoring.events.CALL, on_call)
    monitoring.set_events(3, monitoring.events.CALL)
    run_threads()
    monitoring.set_events(3, 0)
    monitoring.free_tool_id(3)
    print("monitored:", sorted(name for name in called if "gilless" in name))
