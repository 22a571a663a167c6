# modes: default, race
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


# One object only: the order in which the collector finalizes objects is the host's.
_private = Noisy("private")
print("end of program")
sys.stdout = None
builtins.print = None
builtins.str = None
raise ValueError("uncaught")
