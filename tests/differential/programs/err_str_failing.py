# An uncaught exception whose __str__ itself fails.
class Broken(Exception):
    def __str__(self):
        raise RuntimeError("str failed")


raise Broken()
