# The traceback module's output for guest exceptions.
import sys
import traceback


def level3():
    raise ValueError("deep problem")


def level2():
    level3()


def level1():
    try:
        level2()
    except ValueError as e:
        raise RuntimeError("wrapped") from e


try:
    level1()
except RuntimeError:
    traceback.print_exc(file=sys.stdout)
    exc_type, exc, tb = sys.exc_info()
    print([(f.name, f.lineno, f.line) for f in traceback.extract_tb(tb)])
    print(traceback.format_exception_only(exc_type, exc))
    print(len(traceback.format_exception(exc)), "".join(traceback.format_tb(tb)).count("File"))
print([f.name for f in traceback.extract_stack()][-1:])
try:
    exec("def boom():\n    1/0\nboom()")
except ZeroDivisionError:
    traceback.print_exc(file=sys.stdout)
try:
    eval("undefined_thing")
except NameError:
    traceback.print_exc(file=sys.stdout)
try:
    __import__("json").loads("{bad json")
except ValueError:
    traceback.print_exc(file=sys.stdout)
te = traceback.TracebackException(*sys.exc_info()) if sys.exc_info()[0] else None
print(te)


def gen():
    yield 1
    raise KeyError("in generator")


try:
    list(gen())
except KeyError:
    traceback.print_exc(file=sys.stdout)
try:
    [x for x in [1, 0] if 1 / x]
except ZeroDivisionError:
    traceback.print_exc(file=sys.stdout)
try:
    sorted([3, 1], key=lambda v: v.missing)
except AttributeError:
    traceback.print_exc(file=sys.stdout)
sys.stdout.flush()
e = Exception("context 1")
try:
    try:
        raise e
    finally:
        raise TypeError("in finally")
except TypeError:
    traceback.print_exc(file=sys.stdout)
level1()
