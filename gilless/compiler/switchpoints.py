"""The lowering pass of the GIL mode: switch points where CPython checks its eval breaker.

CPython lets another thread in at function entries and loop back-edges; so
does gilless in the GIL mode. A switch point (`_switch_statement`) tests the
`__gilless_drop__` flag and calls `__gilless_switch__()` when it is set; it
goes first in every function body (after the docstring) and every loop
body. Both names are looked up in the guest's builtins, where the GIL mode
puts them, because compiled code can hold no reference to a host object and
must be cacheable on disk. Code that runs with a restricted `__builtins__`
lacks them, so the test is guarded by a zero-cost `try`. Comprehension
loops get none: an expression cannot be guarded, and a comprehension that
calls any Python function switches in it; only a long comprehension of
built-in operations alone keeps the GIL to its end. A function's switch point
takes the position of the first statement it precedes that has code; a
loop's has none: line tracing sees the lines CPython reports, with no extra
event per call or iteration.
"""

import ast

# Changes whenever the inserted code changes: it keys the compile cache.
FORM = 3
DROP_FLAG = "__gilless_drop__"
SWITCH_FUNCTION = "__gilless_switch__"


def _switch_call():
    return ast.Call(func=ast.Name(SWITCH_FUNCTION, ast.Load()), args=[], keywords=[])


def _switch_statement(location):
    """The switch point statement, positioned at `location` (None: nowhere).

    try:
        if __gilless_drop__:
            __gilless_switch__()
        pass
    except:
        try:
            __gilless_drop__
        except:
            pass
        else:
            raise

    One built-in name load and a jump when no thread waits. Code run with a
    restricted `__builtins__` (namedtuple's, sandboxes) lacks the names and so
    runs without switch points: the handler swallows that NameError alone, and
    re-raises what `__gilless_switch__` raised (KeyboardInterrupt from a signal
    handler); it is reached by none of these and costs nothing.

    The `pass` gives its line to the jump over the handler, which the host
    compiles after it with no line of its own: otherwise 3.11 reports the line
    again when the jump lands on the statement after the `try` (3.12 places the
    handler out of line)."""
    check = ast.If(test=ast.Name(DROP_FLAG, ast.Load()),
                   body=[ast.Expr(_switch_call())], orelse=[])
    names_missing = ast.Try(body=[ast.Expr(ast.Name(DROP_FLAG, ast.Load()))],
                            handlers=[ast.ExceptHandler(type=None, name=None,
                                                        body=[ast.Pass()])],
                            orelse=[ast.Raise(exc=None, cause=None)], finalbody=[])
    statement = ast.Try(body=[check, ast.Pass()],
                        handlers=[ast.ExceptHandler(type=None, name=None,
                                                    body=[names_missing])],
                        orelse=[], finalbody=[])
    for node in ast.walk(statement):
        if location is None:
            # No position: the compiler treats it as its own artificial code (no line
            # event of its own; a traceback shows the loop's line).
            node.lineno = node.end_lineno = node.col_offset = node.end_col_offset = -1
        else:
            ast.copy_location(node, location)
    return statement


def _has_docstring(body):
    return (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str))


def _has_code(statement):
    """Whether the host compiles `statement`, in a function's body, to code at its line
    (`global x`, `nonlocal x` and `x: int` have none)."""
    if isinstance(statement, (ast.Global, ast.Nonlocal)):
        return False
    return not (isinstance(statement, ast.AnnAssign) and statement.value is None
                and isinstance(statement.target, ast.Name))


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


class SwitchPointInserter:
    """Inserts the switch points into a tree, walking it without recursion: the host
    compiler accepts trees deeper than Python's recursion limit (a sum of thousands
    of terms), and the pass must accept whatever the host does."""

    def visit(self, tree):
        # Found first, then changed: the inserted statements are not walked.
        targets = [node for node in ast.walk(tree) if isinstance(node, _FUNCTIONS + _LOOPS)]
        for node in targets:
            if isinstance(node, _FUNCTIONS):
                position = 1 if _has_docstring(node.body) else 0
                anchor = next((statement for statement in node.body[position:]
                               if _has_code(statement)), None)
                node.body.insert(position, _switch_statement(anchor))
            else:
                node.body.insert(0, _switch_statement(None))
        return tree
