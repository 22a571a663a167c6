# Signal handlers, sys.settrace / setprofile, and a KeyboardInterrupt delivered by SIGINT.
import os
import signal
import sys
import time

received = []
signal.signal(signal.SIGUSR1, lambda signum, frame: received.append((signum, frame.f_code.co_name)))
os.kill(os.getpid(), signal.SIGUSR1)
time.sleep(0.01)
print(received, signal.getsignal(signal.SIGUSR1).__name__)
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "traced":
        events.append((event, frame.f_lineno - traced.__code__.co_firstlineno))
    return tracer


def traced(n):
    total = 0
    for i in range(n):
        total += i
    return total


sys.settrace(tracer)
traced(2)
sys.settrace(None)
print(events, sys.gettrace())
calls = []
sys.setprofile(lambda frame, event, arg: calls.append((event, frame.f_code.co_name)) if frame.f_code.co_name == "traced" else None)
traced(1)
sys.setprofile(None)
print(calls)
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)
except KeyboardInterrupt:
    print("KeyboardInterrupt from SIGINT")
signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(TimeoutError("alarm fired")))
signal.setitimer(signal.ITIMER_REAL, 0.01)
try:
    time.sleep(2)
except TimeoutError as e:
    print("TimeoutError:", e)
os.kill(os.getpid(), signal.SIGINT)
time.sleep(1)
print("not reached")
