# A program replaces sys.stdout by an object with no flush (a logger that only writes):
# what the original stdout holds is still written at exit, and the failed flush gives
# exit status 120 with CPython's report.
import sys

print("written before the replacement")
sys.__stdout__.write("written to the original\n")


class Writer:
    def write(self, text):
        return len(text)

    def __repr__(self):
        return "<Writer>"


sys.stdout = Writer()
print("swallowed")
