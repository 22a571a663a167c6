"""What the guest does costs what it costs in CPython: no quadratic or recursive corner in
gilless's own work on the guest's tracebacks."""

import textwrap
import time

from conftest import run_cpython, run_gilless


def timed(run, *args):
    start = time.perf_counter()
    result = run(*args)
    return result, time.perf_counter() - start


def test_deep_recursion_error_costs_what_it_costs_in_cpython(tmp_path):
    # Printing it unlinks gilless's frames from a traceback 100000 entries deep.
    program = tmp_path / "deep.py"
    program.write_text(textwrap.dedent("""
        import sys
        sys.setrecursionlimit(100000)
        def down(n):
            return down(n + 1)
        down(0)
    """))
    expected, cpython_s = timed(run_cpython, str(program))
    actual, gilless_s = timed(run_gilless, str(program))
    assert (actual.stdout, actual.stderr, actual.returncode) == (
        expected.stdout, expected.stderr, expected.returncode)
    assert "RecursionError" in actual.stderr
    # Start-up and a constant factor, not the seconds of a quadratic walk.
    assert gilless_s < 4 * cpython_s + 2, (gilless_s, cpython_s)
