"""The GIL mode's lowering pass, and that the default mode compiles without it."""

import dis

from gilless.compiler import CompileOptions, compile_guest
from gilless.compiler.switchpoints import DROP_FLAG, SWITCH_FUNCTION

SOURCE = '''
def documented(n):
    "doc"
    total = 0
    for i in range(n):
        total += i
    while n:
        n -= 1
    return total

squares = [x * x for x in range(3)]
namedtuple_style = lambda a: (a, [b for b in a])
'''


def _code_objects(code):
    yield code
    for constant in code.co_consts:
        if hasattr(constant, "co_code"):
            yield from _code_objects(constant)


def _switch_checks(code):
    return sum(1 for instruction in dis.get_instructions(code)
               if instruction.argval == DROP_FLAG)


def test_default_mode_is_the_host_compiler_output():
    ours = compile_guest(SOURCE, "<m>", "exec")
    host = compile(SOURCE, "<m>", "exec", dont_inherit=True)
    assert [c.co_code for c in _code_objects(ours)] == [c.co_code for c in _code_objects(host)]


def test_gil_mode_switches_at_function_entries_and_loops():
    code = compile_guest(SOURCE, "<m>", "exec", options=CompileOptions(gil=True))
    by_name = {c.co_name: c for c in _code_objects(code)}
    documented = by_name["documented"]
    assert documented.co_consts[0] == "doc"
    # A test per switch point, and one more in its rarely taken handler.
    assert _switch_checks(documented) == 2 * 3
    assert SWITCH_FUNCTION in documented.co_names
    # Expressions cannot guard against a restricted __builtins__: left alone.
    # (3.12 and later inline the comprehension into the module's code.)
    assert _switch_checks(by_name.get("<listcomp>", code)) == 0
    assert _switch_checks(code) == 0
    assert _switch_checks(by_name["<lambda>"]) == 0


def test_gil_mode_code_still_runs_with_restricted_builtins():
    code = compile_guest("def f(n):\n    for i in range(n):\n        pass\n    return n\n",
                         "<m>", "exec", options=CompileOptions(gil=True))
    namespace = {"__builtins__": {"range": range}}
    exec(code, namespace)
    assert namespace["f"](3) == 3


def test_an_exception_raised_at_a_switch_point_propagates():
    code = compile_guest("def f():\n    return 1\n", "<m>", "exec",
                         options=CompileOptions(gil=True))

    def switch():
        raise KeyboardInterrupt

    namespace = {"__builtins__": {DROP_FLAG: True, SWITCH_FUNCTION: switch}}
    exec(code, namespace)
    try:
        namespace["f"]()
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the switch point swallowed KeyboardInterrupt")
