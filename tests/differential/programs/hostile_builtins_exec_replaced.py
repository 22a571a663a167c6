# importlib runs a module's body with the `exec` of its builtins: a program's
# replacement is called for each module imported from source, and one set to None
# makes the import fail, as in CPython.
import builtins
import os

real_exec = builtins.exec


def logged_exec(code, namespace, *rest):
    print("exec of", os.path.basename(code.co_filename))
    return real_exec(code, namespace, *rest)


builtins.exec = logged_exec
import colorsys  # noqa: E402
print(colorsys.__name__)
builtins.exec = None
try:
    import sched  # noqa: F401
except TypeError as error:
    print("TypeError:", error)
builtins.exec = real_exec
import sched  # noqa: E402,F811
print(sched.__name__)
