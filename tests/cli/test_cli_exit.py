"""Exit statuses and what is printed on the way out, compared with the host CPython."""

import os
import signal
import subprocess
import time

import pytest

from cliutil import GILLESS_EXECUTABLE, assert_same, both
from conftest import HOST_PYTHON


@pytest.mark.parametrize("program", [
    "pass",
    "raise ValueError('boom')",
    "import sys; sys.exit()",
    "import sys; sys.exit(None)",
    "import sys; sys.exit(0)",
    "import sys; sys.exit(3)",
    "import sys; sys.exit(255)",
    "import sys; sys.exit(256)",
    "import sys; sys.exit(-1)",
    "import sys; sys.exit(2**40 + 7)",
    "import sys; sys.exit(True)",
    "import sys; sys.exit('a message')",
    "import sys; sys.exit(['not', 'a', 'string'])",
    "raise SystemExit(1, 2)",
    "raise SystemExit",
    "class E(SystemExit): pass\nraise E(7)",
    "import sys; sys.stderr = None; sys.exit('no stderr')",
    "import sys; sys.excepthook = lambda *a: print('hooked', a[0].__name__); 1/0",
    "import sys; sys.excepthook = lambda *a: 1/0; raise KeyError('k')",
    "import sys; del sys.excepthook; 1/0",
    "try:\n    1/0\nexcept Exception as e:\n    raise RuntimeError('wrapped') from e",
    "import os; os._exit(9)",
    "import atexit; atexit.register(print, 'at exit'); raise SystemExit(4)",
    "import threading, time\n"
    "def work():\n    time.sleep(0.2)\n    print('thread done')\n"
    "threading.Thread(target=work).start()\nprint('main done')",
])
def test_exit_status(program, tmp_path):
    assert_same("-c", program, cwd=tmp_path)


def test_exit_status_beyond_a_c_long(tmp_path):
    # As a C long conversion error: -1, so 255. (CPython 3.12 and later also leak the
    # OverflowError into a stray report on stderr; that slip is not reproduced.)
    for code in ("2**70", "-2**70"):
        expected, actual = both("-c", f"import sys; sys.exit({code})", cwd=tmp_path)
        assert (actual.returncode, actual.stdout) == (expected.returncode, expected.stdout)
        assert actual.returncode == 255 and actual.stderr == ""


def test_exit_status_of_script(tmp_path):
    (tmp_path / "prog.py").write_text("import sys\nprint('out')\nsys.exit(sys.argv[1])\n")
    assert_same("prog.py", "5", cwd=tmp_path)
    (tmp_path / "fail.py").write_text("def f():\n    raise OSError(2, 'gone')\nf()\n")
    assert_same("fail.py", cwd=tmp_path)


def _with_closed_stdout(command):
    """Run with stdout a pipe nobody reads: flushing it at exit fails."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(command, stdout=writer, stderr=subprocess.PIPE, text=True,
                              timeout=60, env=dict(os.environ, PYTHONUNBUFFERED=""))
    finally:
        os.close(writer)
    return done.returncode, done.stderr


@pytest.mark.parametrize("program", [
    "print('buffered')",
    "import sys; print('buffered'); sys.exit(5)",
    "import sys; sys.stdout.close()",
])
def test_failing_to_flush_stdout_at_exit(program):
    expected = _with_closed_stdout([HOST_PYTHON, "-c", program])
    actual = _with_closed_stdout([GILLESS_EXECUTABLE, "-c", program])
    assert actual == expected


@pytest.mark.parametrize("program", [
    "raise KeyboardInterrupt",
    "try:\n    raise KeyboardInterrupt\nexcept KeyboardInterrupt:\n    raise SystemExit(3)",
    "import sys; sys.excepthook = lambda *a: print('hooked'); raise KeyboardInterrupt",
    "try:\n    raise KeyboardInterrupt\nfinally:\n    print('cleanup')",
])
def test_uncaught_keyboard_interrupt_kills_by_sigint(program, tmp_path):
    assert_same("-c", program, cwd=tmp_path)


def _interrupted(command):
    process = subprocess.Popen(command + ["-c", "import time\nprint('ready', flush=True)\n"
                                          "time.sleep(60)"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "ready\n"
        time.sleep(0.5)  # into the sleep, so that both report the same line
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, err


def test_ctrl_c_during_a_program():
    expected = _interrupted([HOST_PYTHON])
    actual = _interrupted([GILLESS_EXECUTABLE])
    assert expected[0] == -signal.SIGINT
    assert actual == expected


def test_inspect_from_the_environment_does_not_reach_the_host(tmp_path):
    # PYTHONINSPECT is the guest's: with stdin not a terminal, no REPL, status from the program.
    for env in ({"PYTHONINSPECT": "1"}, {}):
        assert_same("-c", "import sys; sys.exit(3)", env=env, cwd=tmp_path)
        assert_same("-c", "import os; os.environ['PYTHONINSPECT'] = '1'", env=env, cwd=tmp_path)
