"""coverage.py measures a program under gilless as under CPython: the same report, with
the program's files only, for each of coverage's cores the host has (its C tracer where
its extension is built for the host, its Python tracer, and `sys.monitoring` from 3.12),
run from the command line and started through its API in the middle of a module.
Skipped where coverage is not installed (it is among the `test` extras)."""

import importlib.util
import json
import sys

import pytest

from conftest import run_cpython, run_gilless

pytest.importorskip("coverage")

PROGRAM = '''\
import threading


def only_in_a_thread(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            total += i
    return total


def never_called():
    return "not run"


def numbers():
    yield 1
    yield 2


def fails(flag):
    try:
        if flag:
            raise ValueError(flag)
    except ValueError:
        return "caught"
    return "fine"


results = []
thread = threading.Thread(target=lambda: results.append(only_in_a_thread(10)))
thread.start()
thread.join()
print(results, list(numbers()), fails(True), fails(False))
exec("x = len(results)")
print(eval("x + 1"))
'''

# Started in the middle of the module, whose frame is running when the tracer starts.
API_PROGRAM = '''\
import threading
import coverage

cov = coverage.Coverage(branch=True, data_file=None)
cov.start()
import measured
values = [measured.square(n) for n in range(3)]
worker = threading.Thread(target=measured.in_thread, args=(values,))
worker.start()
worker.join()
if values:
    values.append(0)
else:
    values.append(1)
cov.stop()
print(values)
cov.report(show_missing=True)
'''

MEASURED = '''\
def square(n):
    return n * n


def in_thread(values):
    for value in list(values):
        if value > 1:
            values.append(value)


def unused():
    return 1
'''


def cores():
    found = ["pytrace"]
    if importlib.util.find_spec("coverage.tracer") is not None:
        found.append("ctrace")
    if sys.version_info >= (3, 12):
        found.append("sysmon")
    return found


def _run_both(tmp_path, files, *steps, core, options=()):
    """Each step's output under CPython and under gilless (given `options`), each in a
    directory of its own holding `files`."""
    outputs = {}

    def gilless(*args, **kwargs):
        return run_gilless(*options, *args, **kwargs)

    for name, run in (("cpython", run_cpython), ("gilless", gilless)):
        directory = tmp_path / name
        directory.mkdir()
        for file_name, text in files.items():
            (directory / file_name).write_text(text)
        outputs[name] = []
        for step in steps:
            result = run(*step, cwd=directory, env={"COVERAGE_CORE": core})
            assert result.returncode == 0, result.stderr
            outputs[name].append((result.stdout, result.stderr))
        outputs[name].append(directory)
    return outputs["cpython"], outputs["gilless"]


@pytest.mark.parametrize("options", [(), ("-X", "gil=1")], ids=["default", "gil"])
@pytest.mark.parametrize("core", cores())
def test_coverage_run_reports_the_program_only(core, options, tmp_path):
    expected, actual = _run_both(
        tmp_path, {"prog.py": PROGRAM},
        ["-m", "coverage", "run", "--branch", "prog.py"],
        ["-m", "coverage", "report", "--show-missing"],
        ["-m", "coverage", "json", "-q", "-o", "coverage.json"], core=core, options=options)
    assert actual[:3] == expected[:3]
    measured = {}
    for outputs in (expected, actual):
        files = json.loads((outputs[3] / "coverage.json").read_text())["files"]
        measured[outputs is actual] = {
            name: (data["executed_lines"], data["missing_lines"], data["executed_branches"])
            for name, data in files.items()}
    assert measured[True] == measured[False]
    assert list(measured[True]) == ["prog.py"]


@pytest.mark.parametrize("core", cores())
def test_coverage_started_by_the_program(core, tmp_path):
    expected, actual = _run_both(tmp_path, {"prog.py": API_PROGRAM, "measured.py": MEASURED},
                                 ["prog.py"], core=core)
    assert actual[0] == expected[0]
    assert "measured.py" in expected[0][0]
