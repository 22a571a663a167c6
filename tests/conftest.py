"""Shared helpers: run gilless (and the host CPython, the oracle) as a user would."""

import importlib.metadata
import os
import signal
import subprocess
import sys

import pytest

HOST_PYTHON = sys.executable

# A shell's background job starts with SIGINT ignored, which every child would
# inherit (CPython keeps an inherited SIG_IGN), and the Ctrl-C tests would wait on
# their children forever: the suite runs them as a terminal would.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
GILLESS = [HOST_PYTHON, "-m", "gilless"]


def child_env(extra=None):
    """This process's environment for a child, without the interactive start-up file."""
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    if extra:
        env.update(extra)
    return env


def run_gilless(*args, input=None, env=None, cwd=None, timeout=120):
    """Run the gilless command; return the CompletedProcess (text mode)."""
    return subprocess.run(GILLESS + list(args), input=input, capture_output=True, text=True,
                          env=child_env(env), cwd=cwd, timeout=timeout)


def run_cpython(*args, input=None, env=None, cwd=None, timeout=120):
    """Run the host CPython the same way, as the reference."""
    return subprocess.run([HOST_PYTHON] + list(args), input=input, capture_output=True,
                          text=True, env=child_env(env), cwd=cwd, timeout=timeout)


# pytest and what it runs with, which `gilless_venv_with_pytest` takes from the environment
# the tests run in (those of them that it has).
PYTEST_DISTRIBUTIONS = ("pytest", "pluggy", "iniconfig", "packaging", "pygments",
                        "exceptiongroup", "tomli", "colorama")


def gilless_venv_with_pytest(path):
    """A virtual environment made at `path` by `gilless -m venv` (its `bin/python` runs
    gilless) with pytest in its site-packages, linked from the environment the tests run
    in without an index, and nothing else of that environment's: neither the `gilless`
    package nor its distribution. Its `bin/python`."""
    done = run_gilless("-m", "venv", "--without-pip", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    site_packages = next(path.glob("lib/python3*/site-packages"))
    for name in PYTEST_DISTRIBUTIONS:
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        # Its packages, modules and .dist-info; not its scripts, outside site-packages.
        for top in {file.parts[0] for file in distribution.files or ()} - {"..", "__pycache__"}:
            (site_packages / top).symlink_to(distribution.locate_file(top))
    return path / "bin" / "python"


def summary_outcomes(stdout):
    """A pytest run's test name -> PASSED or FAILED, from pytest's short summary (-rA)."""
    result = {}
    for line in stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word in ("PASSED", "FAILED") and "::" in rest:
            result[rest.split("::")[1].split()[0]] = word
    return result


@pytest.fixture
def gilless():
    return run_gilless


@pytest.fixture
def cpython():
    return run_cpython
