# modes: default, gil, race
# A trace function sees an exception from exec'd code once in each frame it passes, as
# in CPython, and one left on when the program ends in an uncaught exception (whose
# sys.excepthook fails) changes nothing of what is reported.
import sys

events = []


def tracer(frame, event, arg):
    if event == "exception":
        events.append((frame.f_code.co_name, arg[0].__name__))
    return tracer


def run():
    try:
        exec("1 / 0")
    except ZeroDivisionError:
        pass


sys.settrace(tracer)
run()
sys.settrace(None)
print(events)


def failing_hook(*exc_info):
    raise RuntimeError("the hook fails")


sys.excepthook = failing_hook
sys.settrace(lambda frame, event, arg: None)
raise ValueError("uncaught, with a trace function on")
