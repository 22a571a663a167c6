# modes: default, gil
# The tracebacks a program is handed hold its frames and the standard library's, never
# gilless's: one that `importlib.import_module` raises from a module's body (the
# `import` statement drops importlib's frames; `import_module` keeps them), and the
# uncaught exception that a program's own `sys.excepthook` gets (with
# `sys.last_traceback`).
import importlib
import os
import sys
import tempfile
import traceback

directory = tempfile.mkdtemp()
with open(os.path.join(directory, "body_raises.py"), "w") as f:
    f.write("settings = {}\nsettings['missing']\n")
sys.path.insert(0, directory)


def names(tb):
    found = []
    while tb is not None:
        found.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return found


try:
    importlib.import_module("body_raises")
except KeyError as error:
    print(names(error.__traceback__))
    print(traceback.format_exc().replace(directory, "<directory>"))


def hook(kind, value, tb):
    print("hook:", kind.__name__, names(tb), names(sys.last_traceback))
    traceback.print_exception(kind, value, tb, file=sys.stdout)


sys.excepthook = hook


def fails():
    return 1 / 0


fails()
