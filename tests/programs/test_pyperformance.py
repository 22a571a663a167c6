"""Real programs no one here wrote: pyperformance's benchmarks run unmodified under gilless
and must give CPython's results.

Each program runs once under the host CPython and once under gilless (at the
same time, one per core), with the pyperf stand-in tracing every value its
functions return or yield (`--trace-results`); standard output, which
carries the final result and that trace's digest, standard error and the
exit status must be equal. The wheel is fetched with pip on first use; the
tests are skipped only when pip cannot download it, and fail instead under CI.
"""

import os
import subprocess

import pytest

from conftest import GILLESS, HOST_PYTHON
from benchmarks import pyperformance_programs as catalogue

TIMEOUT = 120


@pytest.fixture(scope="module")
def benchmarks():
    try:
        return catalogue.benchmarks_dir()
    except catalogue.FetchError as error:
        message = f"pyperformance wheel not available, pip cannot reach the package index: {error}"
        if os.environ.get("CI"):
            # CI reaches the index: there a missing wheel is a failure, not a reason to skip.
            pytest.fail(message)
        pytest.skip(message)


def _start(command, cwd):
    return subprocess.Popen(command, cwd=cwd, env=catalogue.program_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(process):
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, stdout, stderr


@pytest.mark.parametrize("program", catalogue.PROGRAMS, ids=[p.name for p in catalogue.PROGRAMS])
def test_same_results_as_cpython(benchmarks, program):
    path = catalogue.program_path(program.name)
    args = [path, *program.check_args, "--trace-results"]
    cpython = _start([HOST_PYTHON, *args], cwd=benchmarks)
    gilless = _start([*GILLESS, *args], cwd=benchmarks)
    expected = _finish(cpython)
    actual = _finish(gilless)
    assert expected[0] == 0, expected[2]
    assert expected[1].startswith(f"{program.name}: result "), expected[1]
    assert " digest " in expected[1]
    assert actual == expected
