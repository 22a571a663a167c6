# exec() and eval() take globals and locals by keyword from 3.13, and only by
# position before.
namespace = {"x": 2}
for call in (lambda: eval("x + 1", globals=namespace),
             lambda: eval("x + y", namespace, locals={"y": 3}),
             lambda: exec("z = x * 5", globals=namespace),
             lambda: exec("w = 1", namespace, locals=namespace)):
    try:
        print(call(), namespace.get("z"), namespace.get("w"))
    except TypeError:
        # Before 3.13 CPython's message differs between exec and eval.
        print("TypeError")
