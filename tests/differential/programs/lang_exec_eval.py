# exec/eval/compile from guest code: namespaces, __builtins__, future flags, ast input.
from __future__ import annotations

import ast
import sys

ns = {}
exec("x = 1", ns)
print(sorted(ns), ns["__builtins__"] is __builtins__.__dict__ if hasattr(__builtins__, "__dict__") else ns["__builtins__"] is __builtins__)
print(type(ns["__builtins__"]).__name__)
ns2 = {"__builtins__": {"len": len}}
exec("y = len('abc')", ns2)
print(ns2["y"])
try:
    exec("print('no print')", {"__builtins__": {}})
except NameError as e:
    print("NameError:", e)


def function_scope():
    a = 1
    exec("a = 2; b = 3")
    loc = locals()
    return a, loc.get("b")


print(function_scope())
g, l = {}, {}
exec("v = 5\ndef f(): return v", g, l)
print(sorted(l), "v" in g)
try:
    l["f"]()
except NameError as e:
    print("NameError:", e)
print(eval("1 + 2"), eval("x * 2", {"x": 21}), eval(b"3 * 3"), eval("  7"), eval(compile("8", "<c>", "eval")))
try:
    eval("1\n2")
except SyntaxError as e:
    print("SyntaxError:", e.msg)
try:
    eval(5)
except TypeError as e:
    print("TypeError:", e)
try:
    exec(5)
except TypeError as e:
    print("TypeError:", e)
try:
    eval("x", [])
except TypeError as e:
    print("TypeError:", e)


class Mapping(dict):
    def __missing__(self, key):
        return f"missing {key}"


print(eval("anything", {}, Mapping()))
code = compile("def f(a: SomeUndefined) -> Other: pass\nresult = f.__annotations__", "<ann>", "exec")
scope = {}
exec(code, scope)
print(scope["result"])
code = compile("def f(a: int): pass\nresult = f.__annotations__", "<ann>", "exec", dont_inherit=True)
exec(code, scope)
print(scope["result"])
tree = ast.parse("total = sum(range(5))")
print(type(tree).__name__, ast.dump(tree.body[0].targets[0]))
code = compile(tree, "<ast>", "exec")
exec(code, scope)
print(scope["total"])
only = compile("a + 1", "<x>", "eval", ast.PyCF_ONLY_AST)
print(type(only).__name__, ast.unparse(only))
expr = ast.Expression(body=ast.BinOp(left=ast.Constant(6), op=ast.Mult(), right=ast.Constant(7)))
ast.fix_missing_locations(expr)
print(eval(compile(expr, "<built>", "eval")))
try:
    compile(ast.Module(body=[ast.Expr(ast.Name("x", ast.Store()))], type_ignores=[]), "<bad>", "exec")
except (TypeError, ValueError) as e:
    print(type(e).__name__, e)
single = compile("1 + 1", "<single>", "single")
exec(single)
print(compile("pass", "<f>", "exec").co_filename, compile("x", "<f>", "eval").co_name)
try:
    compile("x", "<f>", "bogus")
except ValueError as e:
    print("ValueError:", e)
print(compile("assert False", "<o>", "exec", optimize=1).co_consts, eval("__debug__"))
top_await = compile("await x", "<a>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
print(bool(top_await.co_flags & 0x80))
print(eval("(lambda: sys.version_info[0])()"), eval("[i for i in range(3)]", {}))
exec("import json as j\nprint(j.dumps(1))", {})
print(eval("__name__", {"__name__": "custom"}), eval("__name__", {}))


class DictSubclass(dict):
    pass


sub = DictSubclass()
exec("import colorsys\nimport sys\nloaded = 'colorsys' in sys.modules", sub)
print(sub["loaded"], sub["__builtins__"] is ns["__builtins__"])
exec("def g(a: Undefined): pass\nann = g.__annotations__", sub)
print(sub["ann"])
src = "def inner():\n    raise ValueError('from exec')\ninner()\n"
exec(compile(src, "generated.py", "exec"), {})
