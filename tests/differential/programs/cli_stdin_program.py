# stdin: first line\nsecond line\n
# A script reading its standard input to the end; the exit status comes from sys.exit.
import sys

lines = sys.stdin.read().splitlines()
print(len(lines), lines)
print("path0 is the script directory:", sys.path[0] == __file__.rsplit("/", 1)[0])
sys.exit(len(lines) + 40)
