# args: first --second
# A non-integer SystemExit code is printed to stderr and the exit status is 1.
import sys

print("argv", sys.argv[1:], "main", __name__, "file", __file__.rsplit("/", 1)[-1])
print("flags", sys.flags.interactive, sys.flags.inspect, sys.flags.optimize)
sys.stdout.flush()
raise SystemExit(f"stopping with {len(sys.argv) - 1} arguments")
