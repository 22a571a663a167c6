# expect: no race
# The end of every thread happens before the interpreter's shutdown, which runs the
# atexit functions: also for a thread that ended before the main thread returned
# (up to 3.12 `threading._shutdown` waits only for the threads still running).
import atexit
import threading
import time

state = {}


def report():
    print("at exit:", state.get("early"), state.get("late"))


def work(key, pause):
    time.sleep(pause)
    state[key] = 42


atexit.register(report)
threading.Thread(target=work, args=("early", 0)).start()
threading.Thread(target=work, args=("late", 0.3)).start()
time.sleep(0.1)
print("main returns without joining")
