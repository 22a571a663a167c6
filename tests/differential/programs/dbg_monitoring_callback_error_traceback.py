# modes: default, gil, race
# An error raised by a sys.monitoring callback, caught by the program: its traceback
# holds the program's frames and the callback's, as in CPython, for each kind of event
# (gilless's filter in front of the callback unlinks its own frame).
# Hosts without sys.monitoring print the same line under both.
import sys
import traceback

if not hasattr(sys, "monitoring"):
    print("no sys.monitoring")
    raise SystemExit

monitoring = sys.monitoring
events = monitoring.events
monitoring.use_tool_id(5, "raising")


def callback(code, *arguments):
    if code is work.__code__:
        raise ValueError("callback error")


def work():
    return len("x")


for name in ("PY_START", "PY_RETURN", "CALL", "C_RETURN", "LINE"):
    event = getattr(events, name)
    monitoring.register_callback(5, event, callback)
    # (C_RETURN is seen where CALL is monitored.)
    monitoring.set_events(5, events.CALL if name == "C_RETURN" else event)
    try:
        work()
    except ValueError as error:
        monitoring.set_events(5, 0)
        print(name, [(entry.name, entry.filename.rsplit("/", 1)[-1])
                     for entry in traceback.extract_tb(error.__traceback__)])
    monitoring.set_events(5, 0)
    monitoring.register_callback(5, event, None)
