# A sys hook defined in __main__ keeps __main__'s namespace alive at exit until `sys`
# itself is emptied, when its objects are finalized with no stdout to print to
# (CPython sets sys.stdin, stdout and stderr back, and leaves the hooks).
import sys


class Noisy:
    def __del__(self):
        print("finalized while sys.stdout was there")


noisy = Noisy()
sys.excepthook = lambda *args: None
print("end")
