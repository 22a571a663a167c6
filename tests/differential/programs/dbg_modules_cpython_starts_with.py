# modes: default, gil
# The modules CPython imports as it starts, which gilless's start-up does without
# (`codecs`, `_codecs`, `_signal`, the standard `encodings`), are imported unseen by a
# program's first import of them, by a profiler and by a monitoring tool, as they are
# there already in CPython.
import sys

events = []


def record(frame, event, arg):
    if event in ("call", "c_call"):
        events.append(frame.f_code.co_name)


sys.setprofile(record)
import codecs
import _signal
import encodings
sys.setprofile(None)
print("profile:", events)

monitoring = getattr(sys, "monitoring", None)
if monitoring is not None:
    seen = []
    monitoring.use_tool_id(4, "imports")
    monitoring.register_callback(4, monitoring.events.PY_START,
                                 lambda code, offset: seen.append(code.co_name))
    monitoring.set_events(4, monitoring.events.PY_START)
    import encodings.utf_8
    monitoring.set_events(4, 0)
    monitoring.free_tool_id(4)
    print("monitoring:", seen)
print(codecs.lookup("latin-1").name, _signal.SIGINT)
