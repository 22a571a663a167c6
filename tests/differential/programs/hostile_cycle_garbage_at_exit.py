# Garbage in a reference cycle at exit is collected first, while `sys` is whole (CPython's
# collection before finalize_modules): its finalizer sees sys.argv, can import, and
# prints to the program's replacement of sys.stdout.
import io
import sys


class Cycle:
    def __init__(self):
        self.me = self

    def __del__(self):
        print("argv:", sys.argv[1:])
        import json
        print("import:", json.dumps([1]))
        sys.__stdout__.write("in the replacement: " + repr(sys.stdout.getvalue()) + "\n")


Cycle()
print("end")
sys.stdout = io.StringIO()
