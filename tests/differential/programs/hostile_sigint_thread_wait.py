# modes: default, gil, race
# Ctrl-C while the exit waits for a non-daemon thread: one ends the wait and the program.
import os
import signal
import threading
import time


def worker():
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(10)
    print("worker done")


threading.Thread(target=worker).start()
print("main done")
