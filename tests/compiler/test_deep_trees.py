"""The GIL mode compiles every tree the host compiler accepts, however deep, and refuses
what the host refuses with the host's error: the same program under `gilless -X gil=1`
and the host CPython."""

import textwrap

import pytest

from conftest import run_cpython, run_gilless

PROGRAM = textwrap.dedent("""
    import ast
    import sys

    TERMS = int(sys.argv[1])
    SUM = "+".join(["1"] * TERMS)
    ATTRIBUTES = "(1)" + ".real" * TERMS
    NEGATIONS = "not " * TERMS + "1"


    def attempt(name, function):
        try:
            print(name, function())
        except (RecursionError, SyntaxError, MemoryError) as error:
            print(name, type(error).__name__, error)


    def run_module(source):
        namespace = {}
        exec(source, namespace)
        return namespace["f"](3)


    # A function and a loop: the pass inserts switch points in both.
    FUNCTION = "def f(n):\\n    for i in range(n):\\n        total = {}\\n    return total\\n"
    for label, expression in [("sum", SUM), ("attributes", ATTRIBUTES), ("negations", NEGATIONS)]:
        attempt(label + " eval", lambda: eval(expression))
        attempt(label + " exec", lambda: run_module(FUNCTION.format(expression)))
        attempt(label + " tree", lambda: eval(compile(ast.parse(expression, mode="eval"),
                                                      "<tree>", "eval")))
""")


@pytest.mark.parametrize("terms", [900, 2900, 3000, 6000])
def test_deep_expressions_compile_as_the_host_compiles_them(tmp_path, terms):
    program = tmp_path / "deep.py"
    program.write_text(PROGRAM)
    expected = run_cpython(str(program), str(terms))
    actual = run_gilless("-X", "gil=1", str(program), str(terms))
    assert expected.returncode == 0, expected.stderr
    assert (actual.stdout, actual.stderr, actual.returncode) == (
        expected.stdout, expected.stderr, expected.returncode)
