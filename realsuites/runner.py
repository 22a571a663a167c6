"""The runner of `python -m realsuites` (see the package's docstring)."""

import argparse
import dataclasses
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ElementTree

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent
EXPECTED_FILE = pathlib.Path(__file__).with_name("expected-differences.txt")
RUN_TIMEOUT = 1800
# Pinned too: the projects below turn warnings into errors, and newer pytests warn more.
PYTEST = "pytest==8.3.3"
# The files of a source distribution's top level that configure pytest.
CONFIG_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", "pytest.ini", "conftest.py")


@dataclasses.dataclass(frozen=True)
class Package:
    name: str                 # the distribution, as pip knows it
    version: str
    tests: tuple              # test paths in its source distribution, or in the
    #                           installed package when `installed`
    deps: tuple = ()          # what its tests need, pinned
    installed: bool = False   # its tests ship inside the installed package


PACKAGES = (
    Package("more-itertools", "10.5.0", ("tests",)),
    Package("attrs", "24.2.0", ("tests",), deps=("hypothesis==6.112.0",)),
    Package("python-dateutil", "2.9.0.post0", ("tests",),
            deps=("hypothesis==6.112.0", "freezegun==1.5.1", "pytz==2024.2",
                  "pytest-cov==5.0.0")),
    Package("click", "8.1.7", ("tests",)),
    Package("jinja2", "3.1.4", ("tests",), deps=("markupsafe==3.0.3",)),
    Package("msgpack", "1.2.4", ("test",)),
    Package("sympy", "1.14.0", ("sympy/core/tests/test_arit.py",
                                "sympy/core/tests/test_basic.py"),
            deps=("mpmath==1.3.0", "hypothesis==6.112.0"), installed=True),
    Package("numpy", "2.4.6", ("numpy/_core/tests/test_shape_base.py",
                               "numpy/lib/tests/test_twodim_base.py"),
            deps=("hypothesis==6.112.0",), installed=True),
)


def default_workdir():
    tag = f"{sys.implementation.cache_tag}{'t' if _free_threaded() else ''}"
    return pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache")) \
        / "gilless-realsuites" / tag


def _free_threaded():
    import sysconfig
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def _run(command, **kwargs):
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


# -- the environment -----------------------------------------------------------------

class Environment:
    """One virtual environment of the host with gilless and every package installed."""

    def __init__(self, workdir):
        self.workdir = pathlib.Path(workdir)
        self.venv = self.workdir / "venv"
        self.python = self.venv / "bin" / "python"
        self.sources = self.workdir / "sources"

    def prepare(self, packages):
        if not self.python.exists():
            _run([sys.executable, "-m", "venv", self.venv])
        requirements = [PYTEST]
        for package in packages:
            requirements += [f"{package.name}=={package.version}", *package.deps]
        _run([self.python, "-m", "pip", "install", "-q", "-e", CHECKOUT, *requirements])
        for package in packages:
            if not package.installed:
                self._unpack_source(package)

    def _unpack_source(self, package):
        target = self.sources / f"{package.name}-{package.version}"
        if target.exists():
            return
        downloads = self.workdir / "downloads"
        _run([self.python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
              "-d", downloads, f"{package.name}=={package.version}"])
        archive = next(path for path in downloads.iterdir()
                       if _distribution_name(path.name) == _distribution_name(package.name)
                       and package.version in path.name and path.name.endswith(".tar.gz"))
        unpacked = self.workdir / "unpacking"
        shutil.rmtree(unpacked, ignore_errors=True)
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
        (top,) = unpacked.iterdir()
        target.parent.mkdir(parents=True, exist_ok=True)
        top.rename(target)
        shutil.rmtree(unpacked)

    def site_packages(self):
        return pathlib.Path(subprocess.run(
            [self.python, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
            check=True, capture_output=True, text=True).stdout.strip())

    def test_directory(self, package):
        """Where the package's tests run from, apart from its sources: the tests and
        the top-level pytest configuration of its source distribution, copied."""
        if package.installed:
            return self.site_packages()
        source = self.sources / f"{package.name}-{package.version}"
        run = self.workdir / "run" / package.name
        shutil.rmtree(run, ignore_errors=True)
        run.mkdir(parents=True)
        for name in CONFIG_FILES:
            if (source / name).is_file():
                shutil.copy(source / name, run / name)
        for path in package.tests:
            if (source / path).is_dir():
                shutil.copytree(source / path, run / path)
            else:
                (run / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source / path, run / path)
        return run


def _distribution_name(name):
    return name.lower().replace("_", "-").split("-")[0]


# -- one run --------------------------------------------------------------------------

def run_suite(environment, package, under_gilless):
    """{test id: passed, failed, error or skipped} of one run, and its seconds."""
    directory = environment.test_directory(package)
    label = "gilless" if under_gilless else "host"
    report = environment.workdir / "reports" / f"{package.name}-{label}.xml"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    command = [environment.python] + (["-m", "gilless"] if under_gilless else [])
    command += ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
                *package.tests]
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "PIP_", "GILLESS_DEBUG"))}
    started = time.monotonic()
    subprocess.run([str(part) for part in command], cwd=directory, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT)
    seconds = time.monotonic() - started
    return (read_junit(report) if report.exists() else {}), seconds


def read_junit(path):
    outcomes = {}
    for case in ElementTree.parse(path).iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
            elif child.tag == "skipped" and outcome == "passed":
                outcome = "skipped"
        outcomes[test_id] = outcome
    return outcomes


# -- the expected differences ---------------------------------------------------------

def read_expected(path=EXPECTED_FILE):
    """{(package, test id): reason}: each line `PACKAGE TEST-ID  # reason`."""
    expected = {}
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        entry, _, reason = line.partition("#")
        if not entry.strip():
            continue
        package, _, test_id = entry.strip().partition(" ")
        if not test_id.strip() or not reason.strip():
            raise SystemExit(f"{path}:{number}: an entry is 'PACKAGE TEST-ID  # reason'")
        expected[(package, test_id.strip())] = reason.strip()
    return expected


def compare(package, host, gilless, expected):
    """(differences expected, differences not expected, listed tests that now pass)."""
    differences = {test for test, outcome in host.items()
                   if outcome == "passed" and gilless.get(test) != "passed"}
    listed = {test for (name, test) in expected if name == package.name}
    return (sorted(differences & listed), sorted(differences - listed),
            sorted(test for test in listed - differences if host.get(test) == "passed"))


def _counts(outcomes):
    values = list(outcomes.values())
    return f"{values.count('passed')}/{values.count('failed')}/{values.count('skipped')}"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m realsuites",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="the packages to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the packages and stop")
    parser.add_argument("--workdir", type=pathlib.Path, default=None,
                        help="where the environment and the reports go (default: under "
                             "~/.cache/gilless-realsuites)")
    args = parser.parse_args(argv)
    if args.list:
        for package in PACKAGES:
            print(f"{package.name}=={package.version}: {' '.join(package.tests)}")
        return 0
    known = {package.name: package for package in PACKAGES}
    unknown = [name for name in args.packages if name not in known]
    if unknown:
        parser.error(f"unknown package(s): {', '.join(unknown)} (see --list)")
    packages = [known[name] for name in args.packages] or list(PACKAGES)
    expected = read_expected()
    environment = Environment(args.workdir or default_workdir())
    environment.prepare(packages)
    print(f"{'package':26} {'host p/f/s':>14} {'gilless p/f/s':>14} {'host s':>7} "
          f"{'gilless s':>9}  differences")
    failed = False
    for package in packages:
        host, host_seconds = run_suite(environment, package, under_gilless=False)
        gilless, gilless_seconds = run_suite(environment, package, under_gilless=True)
        known_differences, new, now_passing = compare(package, host, gilless, expected)
        print(f"{package.name + '==' + package.version:26} {_counts(host):>14} "
              f"{_counts(gilless):>14} {host_seconds:7.1f} {gilless_seconds:9.1f}  "
              f"{len(known_differences)} expected", flush=True)
        if not host:
            print(f"  the host ran no test of {package.name}")
            failed = True
        for test in new:
            print(f"  NEW DIFFERENCE {package.name} {test}: host passed, gilless "
                  f"{gilless.get(test, 'did not run it')}")
            failed = True
        for test in now_passing:
            print(f"  NOW PASSES {package.name} {test}: take it off {EXPECTED_FILE.name}")
            failed = True
    return 1 if failed else 0
