# expect: no race
# A child that `os.fork` makes has one thread, the forking one, and it comes after all
# that every thread did before the fork (CPython forks holding the GIL, free-threaded
# CPython with the world stopped). Here a thread lets another Thread object die, which
# takes it out of `threading._dangling`, with no synchronisation with the main thread
# (a sleep is none); the child's at-fork code of `threading` reads that set.
import os
import sys
import threading
import time


def noop():
    pass


def worker():
    thread = threading.Thread(target=noop)
    thread.start()
    thread.join()
    del thread


parent_thread = threading.Thread(target=worker)
parent_thread.start()
time.sleep(0.3)
pid = os.fork()
if pid == 0:
    sys.exit(0)
_, status = os.waitpid(pid, 0)
parent_thread.join()
print("child exit status", os.waitstatus_to_exitcode(status))
