# modes: default, gil
# Objects that modules other than __main__ hold are finalized at exit, while the
# streams work, as CPython's finalize_modules does: a buffered file that a module
# keeps open is flushed, and a __del__ prints.
import json
import os
import sys

# Buffered, never flushed nor closed: what it holds reaches the output at exit only.
json.out = os.fdopen(os.dup(sys.stdout.fileno()), "w")
json.out.write("written by a file that json holds, flushed at exit\n")


class Noisy:
    def __init__(self, module):
        self.module = module

    def __del__(self):
        print("finalized, finalizing:", sys.is_finalizing(),
              "json.dumps left:", self.module.dumps is not None)


json.noisy = Noisy(json)
print("end")
