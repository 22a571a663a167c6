"""The installed package is the runtime alone.

A wheel built from this checkout must hold the `gilless/` source, its
metadata and the `gilless` command, and nothing else: the benchmarks and the runners of CPython's tests and of
real projects' suites sit beside the package and run from a checkout, so none of
them nor their data (the pyperf stand-in, the lists) may be installed.
"""

import importlib.util
import pathlib
import shutil
import subprocess
import sys
import zipfile

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent
BESIDE_THE_RUNTIME = ("benchmarks", "conformance", "realsuites")


def _files(directory):
    return {path.relative_to(directory.parent).as_posix() for path in directory.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def _build_wheel(tmp_path):
    # From a copy, so that the build's own `build/` and egg-info stay out of the checkout.
    source = tmp_path / "source"
    shutil.copytree(REPOSITORY, source, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "bench-results"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
               "--disable-pip-version-check", "--wheel-dir", str(tmp_path / "wheel"), str(source)]
    if importlib.util.find_spec("setuptools") and importlib.util.find_spec("wheel"):
        command.insert(4, "--no-build-isolation")  # no download when the backend is here
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = (tmp_path / "wheel").glob("gilless-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if not name.endswith("/")}


def test_the_wheel_holds_the_runtime_and_nothing_beside_it(tmp_path):
    contents = _build_wheel(tmp_path)
    top_level = {name.split("/", 1)[0] for name in contents}
    assert {name for name in top_level
            if not name.endswith((".dist-info", ".data"))} == {"gilless"}
    # The command, whose first line the installer points at the environment's Python.
    (script,) = [name for name in contents if name.split("/", 1)[0].endswith(".data")]
    assert script.split("/", 1)[1] == "scripts/gilless"
    assert contents[script].startswith(b"#!python\n")
    assert b"from gilless.cli.main import launch" in contents[script]
    runtime = {name for name in contents if name.startswith("gilless/")}
    assert runtime == _files(REPOSITORY / "gilless")
    # No tool file was copied into the package (compared by path inside each folder:
    # bare names such as report.py occur in both).
    tool_paths = {name.split("/", 1)[1] for tool in BESIDE_THE_RUNTIME
                  for name in _files(REPOSITORY / tool)
                  if not pathlib.PurePath(name).name.startswith("__")}
    runtime_paths = {name.split("/", 1)[1] for name in runtime}
    assert tool_paths and not runtime_paths & tool_paths


def test_the_runtime_has_no_tools_inside():
    assert importlib.util.find_spec("gilless.tools") is None
    for tool in BESIDE_THE_RUNTIME:
        assert not (REPOSITORY / "gilless" / tool).exists()
