# modes: default, gil, race
# Objects the program leaves in reference cycles are finalized at exit, while the
# streams work: a cycle through its class (the instance, its class, `__del__`, the
# module's namespace) and a dict that refers to itself. (One writes to stdout, the other
# to stderr: the order in which a collection finalizes a cycle's objects is the host's.)
import sys


class Cycle:
    def __del__(self):
        print("cycle through the class finalized")


class HeldByDict:
    def __del__(self):
        print("object of a dict cycle finalized", file=sys.stderr)


cycle = Cycle()
cycle.me = cycle
table = {}
table["object"] = HeldByDict()
table["self"] = table
print("end of the program")
