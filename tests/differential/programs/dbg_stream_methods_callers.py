# modes: default, gil
# The program's own stream methods that print(), input() and the exit call see the
# frames CPython's C code would leave beneath them: their caller, or none at exit.
import io
import sys


def names():
    frame = sys._getframe(1)
    found = []
    while frame:
        found.append(frame.f_code.co_name)
        frame = frame.f_back
    return found


class Out(io.StringIO):
    def write(self, text):
        sys.__stdout__.write(f"write {names()}\n")
        return len(text)

    def flush(self):
        sys.__stdout__.write(f"flush {names()}\n")


class In:
    def readline(self):
        sys.__stdout__.write(f"readline {names()}\n")
        return "x\n"


def f():
    print("hi")
    return input("? ")


sys.stdout, sys.stdin = Out(), In()
f()
