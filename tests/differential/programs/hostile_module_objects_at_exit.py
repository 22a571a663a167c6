# modes: default, gil
# Objects that modules other than __main__ hold are finalized at exit, while the
# streams work, as CPython's finalize_modules does: a buffered file that a module
# keeps open is flushed, and a __del__ prints; also in a module of the program's own,
# which C code could look up by its name.
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
import encoded_module

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
encoded_module.dumps = json.dumps
encoded_module.noisy = Noisy(encoded_module)
print("end")
