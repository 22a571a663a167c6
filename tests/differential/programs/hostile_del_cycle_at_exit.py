# modes: default, race
# A cycle left in __main__ is collected at exit, after the last exception was cleared.
import sys


class Cycle:
    def __del__(self):
        print("cycle finalized", sys.argv, sys.last_value)


cycle = Cycle()
cycle.me = cycle
raise KeyError("uncaught")
