# sys.stdout is not a stream: print fails, and the exit's flush is reported as ignored.
import sys


class NotAStream:
    def __repr__(self):
        return "<not a stream>"


sys.stdout = NotAStream()
try:
    print("lost")
except AttributeError as error:
    sys.stderr.write(f"print: {error}\n")
print("uncaught")
