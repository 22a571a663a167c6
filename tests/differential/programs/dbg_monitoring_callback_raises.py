# modes: default, gil, race
# A sys.monitoring callback that raises, left enabled: the program ends with its
# error, shown as CPython shows it, and nothing gilless runs to show it (the host's
# `traceback`, whose `namedtuple` compiles code of its own) is reported to the tool.
# Hosts without sys.monitoring print the same line under both.
import sys

if not hasattr(sys, "monitoring"):
    print("no sys.monitoring")
    raise SystemExit

monitoring = sys.monitoring
monitoring.use_tool_id(5, "raising")


def callback(code, offset):
    raise ValueError(f"callback error in {code.co_name}")


monitoring.register_callback(5, monitoring.events.PY_START, callback)


def work():
    pass


monitoring.set_events(5, monitoring.events.PY_START)
work()
