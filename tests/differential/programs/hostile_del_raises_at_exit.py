# A finalizer that raises as `__main__` goes at exit: its error is shown as CPython shows
# it then, without source lines (CPython's display finds no `io` left to read them
# with).
class Finalizer:
    def __repr__(self):
        return "<finalizer>"

    def __call__(self):
        print("finalizing")
        raise RuntimeError("raised by a finalizer")


class Held:
    __del__ = Finalizer()


held = Held()
print("end")
