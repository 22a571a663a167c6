# Syntax errors from compile/exec/eval, caught and printed.
import traceback
for source in ["1 +", "def f(:", "x = (1,", "a b", "return 5", "f(**x, *y)", "\tif x:\n  pass\n\tpass",
               "nonlocal q", "x := 1", "'unterminated", "print 'hello'", "del f()", "1 = x"]:
    try:
        compile(source, "<test>", "exec")
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.lineno, e.offset, repr(e.text))
try:
    eval("1 + * 2")
except SyntaxError as e:
    traceback.print_exc(limit=0)
    print("".join(traceback.format_exception_only(type(e), e)), end="")
exec("x = 1\ny = (\n")
