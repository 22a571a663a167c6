# Ctrl-C during an atexit function: reported as ignored, the other functions still run.
import atexit
import os
import signal
import time


class Interrupted:
    def __repr__(self):
        return "<interrupted exit function>"

    def __call__(self):
        print("interrupting")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(10)
        print("not reached")


atexit.register(print, "earlier exit function ran")
atexit.register(Interrupted())
print("main done")
