"""sys.setswitchinterval checks its argument and keeps whole microseconds, as CPython's
C function does, and threads still share the interpreter at any interval it accepts."""
import fractions
import platform
import sys
import threading

CALLS = ["()", "(interval=1)", "(1, 2)", "(1, x=2)", "(0)", "(-1)", "(0.0)", "(-0.0)",
         "('0.5')", "(b'1')", "(None)", "(1j)", "(2 ** 2000)", "(True)", "(3)",
         "(0.0051)", "(0.1234567891)", "(1e-9)", "(1.5e-6)", "(fractions.Fraction(1, 3))",
         "(1.8e13)"]
if platform.machine() in ("x86_64", "AMD64"):
    # What C leaves undefined, as x86-64 gives it.
    CALLS += ["(float('inf'))", "(1.9e13)", "(float('nan'))"]

for call in CALLS:
    try:
        eval("sys.setswitchinterval" + call)
    except (TypeError, ValueError, OverflowError) as error:
        print(call, type(error).__name__, error)
    else:
        print(call, sys.getswitchinterval())
for call in ["(1)", "(x=1)"]:
    try:
        eval("sys.getswitchinterval" + call)
    except TypeError as error:
        print(call, type(error).__name__, error)


def count(totals):
    total = 0
    for i in range(100000):
        total += i
    totals.append(total)


# Intervals too long to wait for and too short to measure.
for interval in (1e7, 1e-9, 0.005):
    sys.setswitchinterval(interval)
    totals = []
    threads = [threading.Thread(target=count, args=(totals,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(sys.getswitchinterval(), totals)
