"""Running one command line under gilless and under the host CPython, and comparing.

Both interpreters name themselves in some messages ("PROGRAM: can't open
file ...", "PROGRAM: No module named ..."): CPython with its executable,
gilless with the `gilless` command beside it. Those names are replaced by
`PYTHON` before comparing; everything else must match byte for byte.
"""

import difflib
import os
import sys

from conftest import HOST_PYTHON, run_cpython, run_gilless

GILLESS_EXECUTABLE = os.path.join(os.path.dirname(HOST_PYTHON), "gilless")
HOST_EXECUTABLES = sorted({HOST_PYTHON, sys.executable, os.path.realpath(HOST_PYTHON)},
                          key=len, reverse=True)


def normalized(text, executables):
    for executable in executables:
        text = text.replace(executable, "PYTHON")
    return text


def both(*args, input=None, env=None, cwd=None, timeout=60):
    """Run `args` under CPython and gilless; return (cpython, gilless) with normalized output."""
    expected = run_cpython(*args, input=input, env=env, cwd=cwd, timeout=timeout)
    actual = run_gilless(*args, input=input, env=env, cwd=cwd, timeout=timeout)
    expected.stdout = normalized(expected.stdout, HOST_EXECUTABLES)
    expected.stderr = normalized(expected.stderr, HOST_EXECUTABLES)
    actual.stdout = normalized(actual.stdout, [GILLESS_EXECUTABLE])
    actual.stderr = normalized(actual.stderr, [GILLESS_EXECUTABLE])
    return expected, actual


def assert_same(*args, input=None, env=None, cwd=None, timeout=60):
    """gilless must print the same stdout and stderr and exit with the same status."""
    expected, actual = both(*args, input=input, env=env, cwd=cwd, timeout=timeout)
    problems = [difference(name, getattr(expected, name), getattr(actual, name))
                for name in ("stdout", "stderr", "returncode")
                if getattr(expected, name) != getattr(actual, name)]
    assert not problems, f"gilless {list(args)} differs from CPython:\n" + "\n".join(problems)
    return actual


def difference(what, expected, actual):
    if not isinstance(expected, str):
        return f"{what}: CPython {expected!r}, gilless {actual!r}"
    lines = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                 "cpython", "gilless")
    return f"{what}:\n" + "".join(lines)
