# sys.exit with a string: the message goes to stderr and the status is 1.
import sys
try:
    sys.exit(3)
except SystemExit as e:
    print("code", e.code, repr(e))
try:
    exit(4)
except SystemExit as e:
    print("exit()", e.code)
try:
    quit()
except SystemExit as e:
    print("quit()", e.code)
try:
    raise SystemExit(1, 2)
except SystemExit as e:
    print("tuple", e.code)
print(repr(exit), repr(quit), type(help).__name__, repr(help)[:40])
print(str(copyright).splitlines()[0][:20], type(credits).__name__, type(license).__name__)
sys.exit("fatal: giving up")
