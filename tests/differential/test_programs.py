"""Differential tests: every program under programs/ must behave under gilless exactly as
under the host CPython: same stdout, same stderr, same exit status.

A program may start with a line `# args: A B C` giving its command-line arguments,
`# stdin: TEXT` giving its standard input (with \\n for newlines), and
`# modes: default, gil, race` naming the modes it runs in under gilless (default: the
default mode alone; `race` is `-X race`, which must change nothing in a race-free
program), each compared with the same CPython run.
"""

import pathlib

import pytest

from conftest import run_cpython, run_gilless
from gilless.base.hostbuild import CRASHES_ON_SHARING

PROGRAMS = sorted((pathlib.Path(__file__).parent / "programs").glob("*.py"))
MODE_OPTIONS = {"default": [], "gil": ["-X", "gil=1"], "race": ["-X", "race"]}
# Programs run with the streams buffered as they are by default, whatever the
# environment of the tests says (an empty value is no value).
ENVIRONMENT = {"PYTHONUNBUFFERED": ""}


def _directives(path):
    args, stdin, modes = [], None, ["default"]
    for line in path.read_text().splitlines():
        if line.startswith("# args:"):
            args = line.split(":", 1)[1].split()
        elif line.startswith("# stdin:"):
            stdin = line.split(":", 1)[1].strip().replace("\\n", "\n")
        elif line.startswith("# modes:"):
            modes = [mode.strip() for mode in line.split(":", 1)[1].split(",")]
        elif not line.startswith("#"):
            break
    return args, stdin, modes


RUNS = [(program, mode) for program in PROGRAMS for mode in _directives(program)[2]]
# How many times CPython runs a program where it died by a signal: a free-threaded CPython
# before 3.15 itself crashes now and then where threads share what it does not lock
# (`dbg_threading_all_threads.py` crashed 3.13.5t in 1 of some 60 runs on a busy
# machine), where gilless guards it; its output is the first run it finished.
ORACLE_RUNS = 3 if CRASHES_ON_SHARING else 1


@pytest.mark.parametrize("program, mode", RUNS,
                         ids=[p.stem if mode == "default" else f"{p.stem}-{mode}"
                              for p, mode in RUNS])
def test_same_as_cpython(program, mode):
    args, stdin, _ = _directives(program)
    for _ in range(ORACLE_RUNS):
        expected = run_cpython(program.name, *args, input=stdin, cwd=program.parent,
                               env=ENVIRONMENT)
        if expected.returncode >= 0:
            break
    actual = run_gilless(*MODE_OPTIONS[mode], program.name, *args, input=stdin,
                         cwd=program.parent, env=ENVIRONMENT)
    assert actual.stdout == expected.stdout
    assert actual.stderr == expected.stderr
    assert actual.returncode == expected.returncode
