"""The interpreter waits for non-daemon threads at exit, not for daemon ones."""
import threading
import time


def late(label, delay):
    time.sleep(delay)
    print(label, flush=True)


threading.Thread(target=late, args=("non-daemon finished", 0.2)).start()
threading.Thread(target=late, args=("daemon never prints", 30), daemon=True).start()
print("main done")
