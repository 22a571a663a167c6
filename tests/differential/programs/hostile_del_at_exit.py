# Objects still in __main__ at exit are finalized while the streams work, with the
# module's names in place, after the program replaced its streams and builtins.
import builtins
import sys


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        names = sorted(k for k, v in globals().items() if v is not None and k[:2] != "__")
        print("finalized", self.name, names)
        print("stderr too", self.name, file=sys.stderr)


class Cycle:
    def __del__(self):
        print("cycle finalized", sys.argv, sys.last_value)


_private = Noisy("private")
public = Noisy("public")
cycle = Cycle()
cycle.me = cycle
print("end of program")
sys.stdout = None
builtins.print = None
builtins.str = None
raise ValueError("uncaught")
