"""`-m cProfile` and `-m profile` report what CPython's do for the same program: the
rows' functions and call counts (times differ), the first text read's codec code
included, which CPython looked up as it started and so never reports."""

import re

import pytest

from conftest import run_cpython, run_gilless

PROGRAM = """\
import os
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "text.txt")
with open(path, "w") as f:
    f.write("x\\n")
with open(path) as f:
    print(f.read().strip())
"""


def _rows(output):
    """(calls, function) of each row of a profiler's table, addresses left out."""
    rows = []
    for line in output.splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[0].replace("/", "").isdigit():
            rows.append((fields[0], re.sub("0x[0-9a-f]+", "0x", " ".join(fields[5:]))))
    return sorted(rows)


@pytest.mark.parametrize("profiler", ["cProfile", "profile"])
def test_profiler_command_rows(profiler, tmp_path):
    (tmp_path / "program.py").write_text(PROGRAM)
    arguments = ("-m", profiler, "-s", "ncalls", "program.py")
    expected = run_cpython(*arguments, cwd=tmp_path)
    actual = run_gilless(*arguments, cwd=tmp_path)
    assert (actual.returncode, actual.stderr) == (expected.returncode, expected.stderr)
    assert _rows(actual.stdout) == _rows(expected.stdout) != []
