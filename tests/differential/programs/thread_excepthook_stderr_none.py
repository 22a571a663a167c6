"""An uncaught exception in a thread while sys.stderr is None: threading's default hook
writes it to the stderr the thread saved when it started."""
import sys
import threading

started = threading.Event()
proceed = threading.Event()


def run():
    started.set()
    proceed.wait(30)
    1 / 0


thread = threading.Thread(target=run, name="Worker")
thread.start()
started.wait(30)
sys.stderr = None
proceed.set()
thread.join()
sys.stderr = sys.__stderr__
print("joined")
