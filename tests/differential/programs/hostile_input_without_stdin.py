# input() after the program deleted sys.stdin, or set it to None: a RuntimeError (whose
# words differ), and nothing else written.
import sys

saved = sys.stdin
del sys.stdin
try:
    input()
except RuntimeError as error:
    print("deleted:", type(error).__name__, "stdin" in str(error))
sys.stdin = None
try:
    input()
except RuntimeError as error:
    print("None:", type(error).__name__, "stdin" in str(error))
sys.stdin = saved
