# A stdout whose flush fails, whose `closed` fails, whose repr fails: exit status 120.
import sys


class Stream:
    def write(self, text):
        sys.__stdout__.write(text.upper())
        return len(text)

    def flush(self):
        raise OSError("cannot flush")

    @property
    def closed(self):
        raise ValueError("no idea")

    def __repr__(self):
        raise ValueError("no repr")


sys.stdout = Stream()
print("written")
