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


NESTED = textwrap.dedent("""
    import sys

    ELIFS = "".join(f"    elif a == {i}:\\n        return {i}\\n" for i in range(1, 1000))
    SOURCE = "def f(a):\\n    if a == 0:\\n        return 0\\n" + ELIFS + "    return -1\\n"


    def compile_at(depth):
        # (A template engine compiles what it generates from deep in a test runner's stack.)
        if depth:
            return compile_at(depth - 1)
        namespace = {}
        exec(compile(SOURCE, "<elifs>", "exec"), namespace)
        return namespace["f"](999)


    print(compile_at(int(sys.argv[1])))
""")


@pytest.mark.parametrize("mode", [("-X", "gil=1"), ("-X", "race")])
def test_a_long_elif_chain_compiles_deep_in_a_stack(tmp_path, mode):
    # An `elif` chain is a tree as deep as it is long; the passes take several frames
    # per level, more than four times the recursion limit with 300 frames below.
    program = tmp_path / "elifs.py"
    program.write_text(NESTED)
    expected = run_cpython(str(program), "300")
    actual = run_gilless(*mode, str(program), "300")
    assert expected.stdout == "999\n", expected.stderr
    assert (actual.stdout, actual.stderr, actual.returncode) == (
        expected.stdout, expected.stderr, expected.returncode)
