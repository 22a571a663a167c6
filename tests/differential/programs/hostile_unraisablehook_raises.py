# A raising unraisablehook: reported by the default hook, naming the guest's hook.
import sys


class Named:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name}>"

    def __call__(self, unraisable):
        raise RuntimeError(f"{self.name} failed on {unraisable.exc_value!r}")


class Dies:
    def __del__(self):
        raise ValueError("in __del__")


sys.unraisablehook = Named("hook")
Dies()
print("after")
