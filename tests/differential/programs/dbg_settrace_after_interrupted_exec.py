# modes: default, gil
# A signal's handler that raises while gilless's exec runs, its exception caught by
# the program, leaves tracing working: the handler could run as gilless had raised the
# thread's tracing count, which then stayed raised (sys.settrace did nothing after).
import signal
import sys


class Tick(Exception):
    pass


def raise_tick(number, frame):
    raise Tick


def traced():
    events = []
    sys.settrace(lambda frame, event, arg: events.append(event))
    (lambda: 0)()
    sys.settrace(None)
    return bool(events)


signal.signal(signal.SIGALRM, raise_tick)
code = compile("x = 1", "<exec>", "exec")
for _ in range(300):
    try:
        # (Set inside the `try`: on a loaded machine the signal can come before it.)
        signal.setitimer(signal.ITIMER_REAL, 0.0002)
        while True:
            exec(code, {})
    except Tick:
        pass
    if not traced():
        break
print("tracing works:", traced())
