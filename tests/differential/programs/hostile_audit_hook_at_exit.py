# modes: default, gil, race
# An audit hook that refuses imports and `id()` from the program's last line on: the
# exit raises no such event of its own, as in CPython (gilless's exit imported `atexit`
# and told modules apart by `id`, and the hook's error became an internal error).
import atexit
import sys

atexit.register(lambda: print("exit function ran"))


def refuse(event, args):
    if event in ("import", "builtins.id"):
        raise RuntimeError(f"refused: {event}")


print("end of the program")
sys.addaudithook(refuse)
