"""Generators are guarded only on hosts that crash without it; elsewhere the default
mode's code is the host compiler's."""

import marshal
import sys
import sysconfig
import warnings

import pytest

from conftest import run_cpython, run_gilless
from gilless.compiler import CompileOptions, compile_guest, generatorguard

SOURCE = "def g():\n    yield 1\nprint(type(g), type(g()), type(i for i in ()))\n"


# Free-threaded hosts before 3.15 crash without the guard (CPython gh-120321).
HOST_NEEDS_GUARD = bool(sysconfig.get_config_var("Py_GIL_DISABLED")) and sys.version_info < (3, 15)


@pytest.mark.skipif(HOST_NEEDS_GUARD, reason="this host needs the guard")
def test_generators_are_the_hosts_where_no_guard_is_needed():
    expected = run_cpython("-c", SOURCE)
    actual = run_gilless("-c", SOURCE)
    assert actual.returncode == expected.returncode == 0, actual.stderr
    assert actual.stdout == expected.stdout


def test_guard_wraps_generator_functions_and_expressions_only():
    code = compile_guest(SOURCE + "def f():\n    return [x for x in ()]\n", "<m>",
                         options=CompileOptions(guard_generators=True))
    names = set(code.co_names)
    assert {generatorguard.FUNCTION_GUARD, generatorguard.EXPRESSION_GUARD} <= names
    functions = {c.co_name: c for c in code.co_consts if hasattr(c, "co_code")}
    assert generatorguard.FUNCTION_GUARD not in functions["f"].co_names


@pytest.mark.parametrize("expression", [
    "(x async for x in aiter(a))",
    "(await x for x in a)",
    "(x for x in a if await x)",
    "(y for x in a for y in [z async for z in x])",
])
def test_async_generator_expressions_are_not_guarded(expression):
    # The guard hands out a plain generator; an async one is left as it is.
    source = f"async def f(a):\n    return {expression}\n"
    code = compile_guest(source, "<m>", options=CompileOptions(guard_generators=True))
    function = next(c for c in code.co_consts if hasattr(c, "co_code"))
    assert generatorguard.EXPRESSION_GUARD not in function.co_names


def test_async_generator_expression_runs_under_the_guard(capsys):
    program = ("import asyncio\n"
               "async def arange(n):\n"
               "    for i in range(n):\n"
               "        yield i\n"
               "async def main():\n"
               "    return [x async for x in (x async for x in arange(5))][1]\n"
               "print(asyncio.run(main()))\n")
    code = compile_guest(program, "<m>", options=CompileOptions(guard_generators=True))
    names = {"__name__": "__main__", "__gilless_generator__": lambda g: iter(list(g))}
    exec(code, names)
    assert capsys.readouterr().out == "1\n"


GUARDED = CompileOptions(guard_generators=True)


@pytest.mark.parametrize("source", [
    "pass\n", "x = [1, 2]\nprint(x)\n", b"import os\nprint(os.sep)\n",
    "class A:\n    def f(self):\n        return {k: v for k, v in ()}\n",
])
def test_source_without_generators_compiles_as_the_pass_would_leave_it(source):
    """Without `yield` or `for` there is nothing to guard: the host compiles the source
    itself (no tree is made), to the very code the pass would give."""
    from gilless.compiler import codegen
    lowered = codegen._compile_lowered(source, "<m>", "exec", 0, GUARDED, -1)
    assert marshal.dumps(compile_guest(source, "<m>", options=GUARDED)) == marshal.dumps(lowered)


@pytest.mark.parametrize("source", [
    "def g():\n    yield 1\n",
    "total = sum(x for x in range(3))\n",
    # A declared encoding may spell the words otherwise: the pass sees the tree.
    b"# coding: utf-8\ndef g():\n    yield 1\n",
])
def test_source_that_may_hold_generators_goes_through_the_pass(source, monkeypatch):
    from gilless.compiler import codegen
    calls = []
    real = codegen._compile_lowered
    monkeypatch.setattr(codegen, "_compile_lowered",
                        lambda *arguments: calls.append(1) or real(*arguments))
    compile_guest(source, "<m>", options=GUARDED)
    assert calls == [1]


@pytest.mark.parametrize("source, message", [
    ("[(i for i in a) (3, 4)]", "'generator' object is not callable; perhaps you missed a comma?"),
    ("[(i for i in a) [3]]", "'generator' object is not subscriptable; perhaps you missed a comma?"),
    ("[[1, 2] [(i for i in a)]]",
     "list indices must be integers or slices, not generator; perhaps you missed a comma?"),
])
def test_a_generator_expression_the_compiler_warns_of_is_left_as_written(source, message):
    # The host compiler's missed-comma warnings look at what the expression is.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = compile_guest(source, "<m>", options=CompileOptions(guard_generators=True))
    assert [str(warning.message) for warning in caught] == [message]
    assert generatorguard.EXPRESSION_GUARD not in code.co_names


def test_a_generator_expression_indexing_an_object_is_guarded():
    # The object's __getitem__ may advance it.
    code = compile_guest("d[(i for i in a)]", "<m>", options=CompileOptions(guard_generators=True))
    assert generatorguard.EXPRESSION_GUARD in code.co_names


def test_yield_from_delegates_through_the_guard():
    # A guarded generator is handed over as its host generator, its lock taken.
    code = compile_guest("def f(inner):\n    return (yield from inner)\n", "<m>",
                         options=CompileOptions(guard_generators=True))
    function = next(c for c in code.co_consts if hasattr(c, "co_code"))
    assert generatorguard.DELEGATION_GUARD in function.co_names
    names = {"__builtins__": {**vars(__import__("builtins")),
                              generatorguard.FUNCTION_GUARD: lambda f: f,
                              generatorguard.DELEGATION_GUARD: lambda it: iter([it, it])}}
    exec(code, names)
    assert list(names["f"]("x")) == ["x", "x"]


def _names(source):
    # (With a `for`: source that has neither `for` nor `yield` is left as the host
    # compiles it, its calls' generators behind the guard.)
    source += "\nfor _ in ():\n    pass\n"
    code = compile_guest(source, "<m>", options=CompileOptions(guard_generators=True))
    names = set(code.co_names)
    for constant in code.co_consts:
        if hasattr(constant, "co_names"):
            names |= set(constant.co_names)
    return names


@pytest.mark.parametrize("source, guard", [
    ("sum(x for x in a)", generatorguard.CONSUMER_EXPRESSION_GUARD),
    ("any(x for x in a)", generatorguard.CONSUMER_EXPRESSION_GUARD),
    ("sorted((x for x in a), key=f)", generatorguard.CONSUMER_EXPRESSION_GUARD),
    ("list(g())", generatorguard.CONSUMED_GUARD),
    ("tuple(g(1, 2))", generatorguard.CONSUMED_GUARD),
    ("def f():\n    return dict(g())\n", generatorguard.CONSUMED_GUARD),
    # Not a built-in's sole argument: guarded as any other.
    ("len(x for x in a)", generatorguard.EXPRESSION_GUARD),
    ("max((x for x in a), b)", generatorguard.EXPRESSION_GUARD),
    ("s.join(x for x in a)", generatorguard.EXPRESSION_GUARD),
    # What a loop or an eager built-in advances through built-ins that make iterators.
    ("for i, x in enumerate(g()):\n    pass\n", generatorguard.CONSUMED_GUARD),
    ("[x for x in zip(g(), h())]", generatorguard.CONSUMED_GUARD),
    ("sum(map(f, (x for x in a)))", generatorguard.CONSUMER_EXPRESSION_GUARD),
    ("for x in zip(*gs):\n    pass\n", None),
    ("for x in enumerate(g()):\n    pass\nclass C:\n    for x in enumerate(g()):\n"
     "        pass\n", generatorguard.CONSUMED_GUARD),
    # A class body's namespace may see each look-up of the callee's name.
    ("class C:\n    t = sum(x for x in a)\n", generatorguard.EXPRESSION_GUARD),
])
def test_a_built_in_that_advances_its_argument_alone_is_passed_again(source, guard):
    names = _names(source)
    guards = {generatorguard.EXPRESSION_GUARD, generatorguard.CONSUMER_EXPRESSION_GUARD,
              generatorguard.CONSUMED_GUARD}
    assert names & guards == ({guard} if guard else set())


@pytest.mark.parametrize("source", ['", ".join(x for x in a)', 'b"".join(x for x in a)',
                                    'list(g)', 'sum([x for x in a])'])
def test_what_no_other_code_can_reach_is_left_unguarded(source):
    guards = {generatorguard.EXPRESSION_GUARD, generatorguard.CONSUMER_EXPRESSION_GUARD,
              generatorguard.CONSUMED_GUARD}
    assert not _names(source) & guards
