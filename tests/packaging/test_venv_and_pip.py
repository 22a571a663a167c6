"""Virtual environments and pip under gilless, beside the host CPython's.

`gilless -m venv` and `python -m venv` each make an environment (pip in it
from ensurepip), and the same commands run in both: the environment's
prefixes and site-packages, then pip installing a local project's wheel,
its console script, a forced reinstall, an uninstall and an editable
install. The outputs must be equal once each environment's path and the
implementation's name are replaced, and what pip installs must land in the
environment, never in the one gilless itself is installed in. No index is
used: the project builds with a backend of its own (tinyproject).
"""

import importlib.util
import os
import subprocess
import sys
import tempfile

import pytest

import tinyproject
from conftest import GILLESS, HOST_PYTHON, run_cpython, run_gilless

IMPLEMENTATIONS = {"cpython": [HOST_PYTHON], "gilless": GILLESS}


def _environment():
    """This process's environment less pip's settings (an index or links to look in),
    so that pip uses only what a command names."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("PIP_") and name != "PYTHONSTARTUP"}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_INDEX="1")
    return env


def _make_venvs(base, *options):
    """One environment per implementation, each `<base>/<implementation>/env`."""
    venvs = {}
    for name, command in IMPLEMENTATIONS.items():
        venv = base / name / "env"
        done = subprocess.run(command + ["-m", "venv", *options, str(venv)],
                              capture_output=True, text=True, env=_environment(), timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        venvs[name] = venv
    return venvs


@pytest.fixture(scope="module")
def venvs(tmp_path_factory):
    return _make_venvs(tmp_path_factory.mktemp("venvs"))


def _run(venv, program, *args, cwd=None):
    """Run a program of the environment's bin/; its output with the environment's path
    and the implementation's name replaced, and its exit status."""
    done = subprocess.run([str(venv / "bin" / program), *args], capture_output=True,
                          text=True, env=_environment(), cwd=cwd, timeout=300)
    implementation = "impl=" + venv.parent.name

    def normalized(text):
        return text.replace(str(venv), "ENV").replace(implementation, "impl=IMPL")
    return normalized(done.stdout), normalized(done.stderr), done.returncode


def _same(venvs, program, *args, cwd=None):
    """Run the program in each environment; both give the same result, which is returned."""
    expected = _run(venvs["cpython"], program, *args, cwd=cwd)
    actual = _run(venvs["gilless"], program, *args, cwd=cwd)
    assert actual == expected
    return expected


PREFIXES = """
import os, site, sys, sysconfig
env = sys.argv[1]
def show(path):
    return "ENV" + path[len(env):] if path.startswith(env) else path
print(show(sys.prefix), show(sys.exec_prefix), sys.base_prefix, sys.base_exec_prefix)
print(show(sys.executable), sys.prefix != sys.base_prefix)
print([show(entry) for entry in sys.path if "-packages" in entry])
print([show(path) for path in site.getsitepackages()], site.ENABLE_USER_SITE)
print(show(sysconfig.get_paths()["purelib"]), show(sysconfig.get_paths()["scripts"]))
spec = __import__("importlib.util").util.find_spec("pip")
print(spec and show(spec.origin))
"""


@pytest.mark.parametrize("options", [[], ["-S"]], ids=["site", "no-site"])
@pytest.mark.parametrize("program", ["python", "python3"])
def test_the_environment_has_its_own_prefix_and_site_packages(venvs, program, options):
    out, err, status = _same(venvs, program, *options, "-c", PREFIXES, "ENV")
    assert status == 0, err
    if not options:
        assert out.splitlines()[0].startswith("ENV ENV ")
        assert "ENV/lib/" in out.splitlines()[-1]


def test_the_environment_has_the_same_commands_and_a_gilless_one(venvs):
    commands = {name: {path.name for path in (venv / "bin").iterdir()}
                for name, venv in venvs.items()}
    # Both venvs link the interpreter under its own name too: CPython's python3.13t on
    # a free-threaded build (python3.11 is among the usual names), gilless's gilless.
    cpython_own = {os.path.basename(sys._base_executable)}
    assert commands["gilless"] == commands["cpython"] - cpython_own | {
        "python", "python3", f"python3.{sys.version_info[1]}", "gilless"}
    venv = venvs["gilless"]
    out, err, status = _run(venv, "gilless", "-c", PREFIXES, str(venv))
    assert status == 0, err
    assert out.splitlines()[:2] == [f"ENV ENV {sys.base_prefix} {sys.base_exec_prefix}",
                                    "ENV/bin/gilless True"]


def _script(venv):
    return venv / "bin" / tinyproject.SCRIPT


IMPORTED_FROM = ("import os, sys, tinyproject_pkg; "
                 "print(os.path.relpath(tinyproject_pkg.__file__, sys.prefix))")


def test_pip_installs_runs_reinstalls_and_uninstalls_in_the_environment(venvs, tmp_path):
    wheel = tinyproject.build_wheel(tinyproject.make(tmp_path / "project"), tmp_path / "wheels")
    out, err, status = _same(venvs, "python", "-m", "pip", "install", str(wheel))
    assert status == 0 and "Successfully installed tinyproject-pkg-1.0" in out, err
    out, err, status = _same(venvs, tinyproject.SCRIPT, "a", "b")
    assert (out, status) == ("hello ['a', 'b'] env impl=IMPL\n", 0), err
    gilless_script = subprocess.run([_script(venvs["gilless"])], capture_output=True, text=True)
    assert gilless_script.stdout == "hello [] env impl=gilless\n"
    first_lines = {name: _script(venv).read_text().splitlines()[0].replace(str(venv), "ENV")
                   for name, venv in venvs.items()}
    assert first_lines["gilless"] == first_lines["cpython"]
    assert "ENV/bin/python" in first_lines["gilless"]
    out, err, status = _same(venvs, "python", "-c", IMPORTED_FROM)
    assert out.startswith("lib/") and status == 0, err

    # Into the environment only: neither the interpreter gilless runs on nor gilless
    # outside the environment sees it.
    assert importlib.util.find_spec(tinyproject.NAME) is None
    assert run_gilless("-c", f"import {tinyproject.NAME}").returncode == 1

    out, err, status = _same(venvs, "python", "-m", "pip", "install", "--force-reinstall",
                             str(wheel))
    assert status == 0 and "Successfully uninstalled tinyproject-pkg-1.0" in out, err
    assert _same(venvs, tinyproject.SCRIPT)[2] == 0

    out, err, status = _same(venvs, "python", "-m", "pip", "uninstall", "-y",
                             tinyproject.DISTRIBUTION)
    assert status == 0 and "Successfully uninstalled" in out, err
    assert not _script(venvs["gilless"]).exists()
    assert _same(venvs, "python", "-c", IMPORTED_FROM)[2] == 1


def test_pip_installs_a_project_editable(venvs, tmp_path):
    project = tinyproject.make(tmp_path / "project")
    out, err, status = _same(venvs, "python", "-m", "pip", "install", "-q", "-e", str(project))
    assert status == 0, err
    assert _same(venvs, tinyproject.SCRIPT, "x")[0] == "hello ['x'] env impl=IMPL\n"
    (project / tinyproject.NAME / "__init__.py").write_text(tinyproject.source("edited"))
    assert _same(venvs, tinyproject.SCRIPT, "x")[0] == "edited ['x'] env impl=IMPL\n"
    out, err, status = _same(venvs, "pip", "uninstall", "-q", "-y", tinyproject.DISTRIBUTION)
    assert status == 0, err
    assert _same(venvs, "python", "-c", IMPORTED_FROM)[2] == 1


def test_ensurepip_puts_pip_in_an_environment_made_without_it(tmp_path):
    venvs = _make_venvs(tmp_path, "--without-pip")
    assert _same(venvs, "python", "-c", "import pip")[2] == 1
    results = [_run(venv, "python", "-m", "ensurepip") for venv in venvs.values()]
    # The same, less the lines naming the temporary folder the bundled wheels are put in.
    (out, err, status), actual = [
        ([line for line in out.splitlines() if tempfile.gettempdir() not in line], err, status)
        for out, err, status in results]
    assert actual == (out, err, status) and status == 0, err
    assert out[-1].startswith("Successfully installed pip-")
    out, err, status = _same(venvs, "python", "-m", "pip", "--version")
    assert status == 0 and " from ENV/lib/" in out, err


def test_pip_installs_into_a_target_directory(tmp_path):
    wheel = tinyproject.build_wheel(tinyproject.make(tmp_path / "project"), tmp_path / "wheels")
    results = []
    for run in (run_cpython, run_gilless):
        target = tmp_path / run.__name__
        done = run("-m", "pip", "install", "--target", str(target), str(wheel),
                   env=_environment())
        results.append((done.stdout.replace(str(target), "TARGET"), done.returncode))
        assert (target / tinyproject.NAME / "__init__.py").exists(), done.stderr
    assert results[0] == results[1]
