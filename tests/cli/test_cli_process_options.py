"""Options that set up the process for the program (-X faulthandler, tracemalloc, dev,
importtime, warn_default_encoding, utf8, int_max_str_digits, frozen_modules) and their
environment variables: the same sys.flags, sys._xoptions and effects as in CPython, and
CPython's fatal errors for values it refuses."""

import re

import pytest

from cliutil import assert_same, both

REPORT = """\
import faulthandler, locale, os, sys, tracemalloc, warnings
print("cpus", os.cpu_count())
print(sys._xoptions)
print(sys.flags)
print("faulthandler", faulthandler.is_enabled())
print("tracemalloc", tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())
print("digits", sys.get_int_max_str_digits())
try:
    str(10 ** 5000)
except ValueError as error:
    print(error)
print("filters", [(f[0], f[2].__name__) for f in warnings.filters][:3])
print("utf8", sys.flags.utf8_mode, sys.getfilesystemencoding())
with warnings.catch_warnings():
    warnings.simplefilter("ignore", EncodingWarning)
    print("preferred", locale.getpreferredencoding(False))
"""

OPTIONS = [
    ["-X", "faulthandler"], ["-X", "faulthandler=0"], ["-X", "tracemalloc"],
    ["-X", "tracemalloc=5"], ["-X", "tracemalloc=0"], ["-X", "dev"],
    ["-X", "int_max_str_digits=5000"], ["-X", "int_max_str_digits=0"],
    ["-X", "utf8"], ["-X", "utf8=0"], ["-X", "utf8=1"], ["-X", "warn_default_encoding"],
    ["-X", "frozen_modules=off"], ["-X", "frozen_modules"], ["-X", "tracemalloc="],
    ["-X", "tracemalloc=+03"], ["-X", "tracemalloc= 2"], ["-X", "int_max_str_digits="],
    ["-X", "cpu_count=3"], ["-X", "no_debug_ranges"],
]

ENVIRONMENT = [
    {"PYTHONFAULTHANDLER": "1"}, {"PYTHONTRACEMALLOC": "4"},
    {"PYTHONINTMAXSTRDIGITS": "6000"}, {"PYTHONDEVMODE": "1"}, {"PYTHONUTF8": "1"},
    {"PYTHONUTF8": "0"}, {"PYTHONWARNDEFAULTENCODING": "1"}, {"PYTHON_CPU_COUNT": "3"},
]


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.py"
    path.write_text(REPORT)
    return path


@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
def test_option_takes_effect(options, report, tmp_path):
    assert_same(*options, str(report), cwd=tmp_path)


@pytest.mark.parametrize("variable", ENVIRONMENT, ids=[next(iter(e)) for e in ENVIRONMENT])
@pytest.mark.parametrize("ignore", [False, True], ids=["", "-E"])
def test_environment_variable_takes_effect(variable, ignore, report, tmp_path):
    options = ["-E"] if ignore else []
    assert_same(*options, str(report), env=variable, cwd=tmp_path)


@pytest.mark.parametrize("options", [
    ["-X", "frozen_modules=maybe"], ["-X", "int_max_str_digits=5"],
    ["-X", "int_max_str_digits"], ["-X", "int_max_str_digits=many"],
    ["-X", "tracemalloc=-1"], ["-X", "tracemalloc=x"], ["-X", "tracemalloc=3 "],
    ["-X", "tracemalloc=1_0"], ["-X", "tracemalloc=+"],
    ["-X", "utf8=2"], ["-X", "utf8="], ["-X", "cpu_count=none"],
], ids=" ".join)
def test_refused_value_is_a_fatal_error(options, tmp_path):
    assert_same(*options, "-c", "print('not run')", cwd=tmp_path)


def test_warn_default_encoding_warns_about_the_programs_open(tmp_path):
    (tmp_path / "data.txt").write_text("text\n")
    program = tmp_path / "reader.py"
    program.write_text("with open('data.txt') as f:\n    print(f.read(), end='')\n")
    result = assert_same("-X", "warn_default_encoding", str(program), cwd=tmp_path)
    assert "EncodingWarning" in result.stderr


@pytest.mark.parametrize("options, env", [
    (["-X", "no_debug_ranges"], None), ([], {"PYTHONNODEBUGRANGES": "1"}),
    (["-E"], {"PYTHONNODEBUGRANGES": "1"}),
], ids=["option", "variable", "variable ignored"])
def test_no_debug_ranges_leaves_out_the_columns(options, env, tmp_path):
    program = tmp_path / "divide.py"
    program.write_text("def f():\n    return 1 / 0\nf()\n")
    assert_same(*options, str(program), env=env, cwd=tmp_path)


def test_frozen_modules_off_shows_the_standard_library_files(tmp_path):
    program = tmp_path / "environ.py"
    program.write_text("import os\nos.environ[1]\n")
    result = assert_same("-X", "frozen_modules=off", str(program), cwd=tmp_path)
    assert "os.py" in result.stderr


IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|( *)(\S+)$")


def _imports(stderr, names):
    """(depth, name) of the import time lines for `names`, in order; and the first line."""
    found = []
    for line in stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if match and match.group(2) in names:
            found.append((len(match.group(1)), match.group(2)))
    return found


@pytest.mark.parametrize("options, env", [
    (["-X", "importtime"], None), ([], {"PYTHONPROFILEIMPORTTIME": "1"}),
], ids=["option", "variable"])
def test_importtime_reports_the_programs_imports(options, env, tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg import inner\nimport colorsys\n")
    (package / "inner.py").write_text("import bisect\n")
    names = {"pkg", "pkg.inner", "colorsys", "bisect", "_bisect"}
    expected, actual = both(*options, "-c", "import pkg", env=env, cwd=tmp_path)
    assert actual.returncode == expected.returncode == 0
    assert actual.stderr.splitlines()[0] == expected.stderr.splitlines()[0] == (
        "import time: self [us] | cumulative | imported package")
    assert _imports(actual.stderr, names) == _imports(expected.stderr, names)
    assert len(_imports(actual.stderr, names)) == 5

