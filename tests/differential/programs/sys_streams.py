# stdin: first line\nsecond line\nthird
# Standard streams: input(), reassigned sys.stdin/stdout/stderr, print's file= and flush=.
import io
import sys

print(input("prompt> "))
print(sys.stdin.readline().rstrip())
sys.stdin = io.StringIO("from a StringIO\n")
print(input())
sys.stdin = sys.__stdin__
print(sys.stdin.read())
captured = io.StringIO()
sys.stdout = captured
print("into the buffer")
sys.stdout.write("written\n")
sys.stdout = sys.__stdout__
print(repr(captured.getvalue()))
errors = io.StringIO()
sys.stderr = errors
print("to stderr", file=sys.stderr)
sys.stderr = sys.__stderr__
print(repr(errors.getvalue()))
print("explicit", file=sys.stderr, flush=True)
print("a", "b", sep="-", end="!\n")
sys.stdout.buffer.write(b"raw bytes\n")
sys.stdout.flush()
try:
    input()
except EOFError as e:
    print("EOFError:", e)
