# Scoping: closures, class scopes, comprehension scopes, late binding, exec of nested code.
funcs = [lambda: i for i in range(3)]
print([f() for f in funcs])
funcs = [lambda i=i: i for i in range(3)]
print([f() for f in funcs])


class Scope:
    value = 10
    doubled = [value * 2 for _ in range(1)] if False else None
    items = [n for n in range(3)]

    def method(self):
        return value


print(Scope.items)
try:
    Scope().method()
except NameError as e:
    print("NameError:", e)
value = "global"
print(Scope().method())


def outer():
    x = "outer"

    def middle():
        def inner():
            return x
        return inner()
    return middle()


print(outer())


def unbound():
    print(y)
    y = 1


try:
    unbound()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)


def free_var_deleted():
    x = 1

    def read():
        return x
    del x
    return read()


try:
    free_var_deleted()
except NameError as e:
    print("NameError:", e)
print(sorted(k for k in locals() if not k.startswith("__")))


def locals_view():
    a = 1
    b = 2
    return sorted(locals().items())


print(locals_view())


class Counter:
    n = 0
    exec("n = 5")


print(Counter.n)
code = compile("def f():\n    return z * 2\n", "<gen>", "exec")
ns = {"z": 21}
exec(code, ns)
print(ns["f"]())
print(eval("a + b", {"a": 1}, {"b": 2}))
g = {}
exec("import math\nresult = math.sqrt(16)", g)
print(g["result"], "__builtins__" in g, type(g["__builtins__"]).__name__)


def uses_exec():
    local_value = 3
    return eval("local_value + 1")


print(uses_exec())
print(eval("__name__"), eval("len")("abc"))
