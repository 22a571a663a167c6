"""Differential tests: every program under programs/ must behave under gilless exactly as
under the host CPython: same stdout, same stderr, same exit status.

A program may start with a line `# args: A B C` giving its command-line arguments, and
`# stdin: TEXT` giving its standard input (with \\n for newlines).
"""

import pathlib

import pytest

from conftest import run_cpython, run_gilless

PROGRAMS = sorted((pathlib.Path(__file__).parent / "programs").glob("*.py"))


def _directives(path):
    args, stdin = [], None
    for line in path.read_text().splitlines():
        if line.startswith("# args:"):
            args = line.split(":", 1)[1].split()
        elif line.startswith("# stdin:"):
            stdin = line.split(":", 1)[1].strip().replace("\\n", "\n")
        elif not line.startswith("#"):
            break
    return args, stdin


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_same_as_cpython(program):
    args, stdin = _directives(program)
    expected = run_cpython(program.name, *args, input=stdin, cwd=program.parent)
    actual = run_gilless(program.name, *args, input=stdin, cwd=program.parent)
    assert actual.stdout == expected.stdout
    assert actual.stderr == expected.stderr
    assert actual.returncode == expected.returncode
