# modes: default, gil
# An exception's display reads the program's linecache (from 3.13, where it is the
# traceback module's: the source of generated code that attrs or Jinja register shows),
# in a thread, through sys.excepthook and at the end, and imports `traceback` through
# the program's own __import__.
import atexit
import builtins
import linecache
import sys
import threading

source = "def generated():\n    raise RuntimeError('from generated code')\n"
name = "<generated-1>"
linecache.cache[name] = (len(source), None, source.splitlines(True), name)
namespace = {}
exec(compile(source, name, "exec"), namespace)


def call():
    namespace["generated"]()


thread = threading.Thread(target=call, name="worker")
thread.start()
thread.join()
try:
    call()
except RuntimeError as error:
    sys.excepthook(type(error), error, error.__traceback__)

imported = []
real_import = builtins.__import__


def logged_import(name, *args):
    imported.append(name)
    return real_import(name, *args)


builtins.__import__ = logged_import
atexit.register(lambda: print("traceback" in imported))
call()
