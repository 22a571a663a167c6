# Profilers see a generator's `send`, `throw` and `close` as CPython shows them, calls of
# the generator's C methods, also where the free-threaded 3.13 host's guard steps it
# (cProfile reads sys.monitoring's CALL events from 3.12, a profile function gets
# c_call and c_return).
import cProfile
import pstats
import sys


def accumulate():
    total = 0
    while True:
        try:
            total += yield total
        except ValueError:
            total = 0


def run():
    generator = accumulate()
    next(generator)
    for i in range(3):
        generator.send(i)
    send = generator.send
    send(10)
    generator.throw(ValueError)
    generator.close()


profiler = cProfile.Profile()
profiler.enable()
run()
profiler.disable()
print(sorted((where[2], counts[0]) for where, counts in pstats.Stats(profiler).stats.items()
             if where[0] in (__file__, "~") and "disable" not in where[2]))
events = []


def profile(frame, event, arg):
    if event.startswith("c_"):
        events.append((event, getattr(arg, "__name__", None)))


sys.setprofile(profile)
run()
sys.setprofile(None)
print(events)
