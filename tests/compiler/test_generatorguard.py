"""Generators are guarded only on hosts that crash without it; elsewhere the default
mode's code is the host compiler's."""

import sys
import sysconfig

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
