# try/except/else/finally, chaining, exception attributes, custom exceptions.


class AppError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code

    def __str__(self):
        return f"[{self.code}] {self.args[0]}"


def flow(kind):
    log = []
    try:
        log.append("try")
        if kind == "raise":
            raise AppError(3, "bad")
        if kind == "return":
            return log
    except AppError as e:
        log.append(f"except {e} {e.code}")
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log


print(flow("raise"), flow("ok"), flow("return"))


def finally_overrides():
    try:
        return "try"
    finally:
        return "finally"


print(finally_overrides())
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("inner")
except KeyError as e:
    print(repr(e), type(e.__context__).__name__, e.__cause__, e.__suppress_context__)
try:
    try:
        raise ValueError("v")
    except ValueError as v:
        raise TypeError("t") from None
except TypeError as e:
    print(e.__suppress_context__, repr(e.__context__))
e = ValueError("a", 1)
print(e.args, str(e), repr(e))
print(repr(OSError(2, "No such file", "x.txt")), OSError(2, "x").errno)
print(type(OSError(2, "x")).__name__, FileNotFoundError.__mro__[1].__name__)
try:
    {}["missing"]
except LookupError as e:
    print(type(e).__name__, e)
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    int("xyz")
except ValueError as e:
    print(e)
try:
    None.foo
except AttributeError as e:
    print(e, e.name, e.obj)
try:
    undefined_name
except NameError as e:
    print(e, e.name)
e = Exception("note me")
e.add_note("a note")
print(e.__notes__)
x = 0
try:
    pass
finally:
    x = 1
print(x)
for i in range(3):
    try:
        if i == 1:
            continue
        if i == 2:
            break
    finally:
        print("finally", i)


def nested():
    try:
        raise ValueError(1)
    except ValueError:
        try:
            raise TypeError(2)
        except TypeError:
            import sys
            return sys.exc_info()[0].__name__


print(nested())
import sys
print(sys.exc_info())
try:
    raise AppError(7, "shown")
except Exception as err:
    pass
print("err" in dir())
print(issubclass(KeyboardInterrupt, Exception), issubclass(StopIteration, Exception))
try:
    raise StopIteration
except Exception as s:
    print(repr(s))


def gen_error():
    raise AppError(42, "uncaught custom")


try:
    raise KeyError("first")
except KeyError:
    gen_error()
