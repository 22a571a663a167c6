# modes: default, gil, race
# A signal handler gets the frame the signal interrupted, the program's own also where
# it waits in a blocking call (a lock, an event, sleep), and runs above it; signal()
# and getsignal() give back the program's handlers; a handler's error reaches the
# interrupted code with CPython's traceback.
import functools
import signal
import sys
import threading
import time
import traceback


def handler(signum, frame):
    print("handler:", signal.Signals(signum).name, "in", frame.f_code.co_name,
          "above", sys._getframe(0).f_back.f_code.co_name)
    traceback.print_stack(frame, file=sys.stdout, limit=2)


def alarm():
    signal.setitimer(signal.ITIMER_REAL, 0.05)


def waiting():
    alarm()
    threading.Event().wait(0.5)
    alarm()
    time.sleep(0.5)
    lock = threading.Lock()
    lock.acquire()
    alarm()
    lock.acquire(timeout=0.5)


previous = signal.signal(signal.SIGALRM, handler)
print("previous:", previous)
print("installed is handler:", signal.getsignal(signal.SIGALRM) is handler)
waiting()


class Counter:
    def __init__(self):
        self.count = 0

    def on_alarm(self, signum, frame):
        self.count += 1


counter = Counter()
print("replaced is handler:", signal.signal(signal.SIGALRM, counter.on_alarm) is handler)
print("bound method back:", signal.getsignal(signal.SIGALRM) == counter.on_alarm)
alarm()
time.sleep(0.5)
print("count:", counter.count)

signal.signal(signal.SIGALRM, functools.partial(print, "partial handler got"))
print("partial back:", type(signal.getsignal(signal.SIGALRM)).__name__)


def failing(signum, frame):
    raise RuntimeError("from the handler")


signal.signal(signal.SIGALRM, failing)
try:
    alarm()
    time.sleep(0.5)
except RuntimeError:
    traceback.print_exc(file=sys.stdout)
print("ignored:", signal.signal(signal.SIGALRM, signal.SIG_IGN) is failing)
print("now:", signal.getsignal(signal.SIGALRM))
print("SIGINT:", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
