"""The pyperformance programs gilless runs unmodified, and where their files come from.

The programs are other people's code, published in the pyperformance wheel,
and stay out of this repository: the wheel is fetched once with pip into a
cache directory outside it and the benchmark directories are unpacked next
to it. Unpacking goes through a temporary directory renamed into place, so
a test and a benchmark run started together never see half a tree.

Each program runs with the pyperf stand-in (`pyperf_standin/pyperf.py`) on
its path in place of pyperf. `check_args` are the program's own options
that shrink its work for the correctness test; the benchmark uses the
program's defaults.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from typing import NamedTuple

from gilless.userdirs import user_cache_dir

PYPERFORMANCE_VERSION = "1.14.0"
WHEEL_NAME = f"pyperformance-{PYPERFORMANCE_VERSION}-py3-none-any.whl"
BENCHMARKS_IN_WHEEL = "pyperformance/data-files/benchmarks/"
STANDIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pyperf_standin")


class Program(NamedTuple):
    name: str
    check_args: tuple = ()


PROGRAMS = (
    Program("richards"),
    Program("nbody", ("--iterations", "2000")),
    Program("fannkuch"),
    Program("spectral_norm"),
    Program("float"),
    Program("nqueens"),
    Program("raytrace", ("--width", "20", "--height", "20")),
    Program("generators"),
    Program("json_dumps"),
)


class FetchError(Exception):
    """pip could not download the wheel (usually: the package index is unreachable)."""


def cache_dir():
    return user_cache_dir("gilless-pyperformance", "GILLESS_PYPERFORMANCE_CACHE")


def fetch_wheel(directory=None, timeout=300):
    """The path of the pyperformance wheel, downloaded with pip unless already cached."""
    directory = directory or cache_dir()
    wheel = os.path.join(directory, WHEEL_NAME)
    if os.path.exists(wheel):
        return wheel
    os.makedirs(directory, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", f"pyperformance=={PYPERFORMANCE_VERSION}",
               "--no-deps", "--only-binary", ":all:", "--disable-pip-version-check",
               "-d", directory]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FetchError(f"pip download failed: {error}") from None
    if done.returncode != 0 or not os.path.exists(wheel):
        last_lines = "\n".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise FetchError(f"pip download of pyperformance=={PYPERFORMANCE_VERSION} failed "
                         f"(exit {done.returncode}): {last_lines}")
    return wheel


def benchmarks_dir(directory=None):
    """The unpacked `benchmarks/` directory of the wheel (fetching and unpacking as needed)."""
    directory = directory or cache_dir()
    target = os.path.join(directory, f"pyperformance-{PYPERFORMANCE_VERSION}", "benchmarks")
    if os.path.isdir(target):
        return target
    wheel = fetch_wheel(directory)
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".unpack-", dir=parent)
    try:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.startswith(BENCHMARKS_IN_WHEEL) and not member.endswith("/"):
                    archive.extract(member, staging)
        try:
            os.rename(os.path.join(staging, BENCHMARKS_IN_WHEEL), target)
        except OSError:
            if not os.path.isdir(target):
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def program_path(name, directory=None):
    return os.path.join(benchmarks_dir(directory), f"bm_{name}", "run_benchmark.py")


def program_env(base=None):
    """The environment a program runs in: the pyperf stand-in first on its path."""
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONSTARTUP", None)
    existing = env.get("PYTHONPATH")
    env["PYTHONPATH"] = STANDIN_DIR + (os.pathsep + existing if existing else "")
    return env
