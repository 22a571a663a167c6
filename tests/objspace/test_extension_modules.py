"""Extension modules compiled for the host load in the guest and behave as in
CPython: their imports, exceptions and module state are the guest's.

Each program runs under gilless and under the host CPython, in this test
process's environment, and must print the same. A small extension of the
tests' own (extension/_probe.c), built with the host's compiler where there
is one, covers the ways C code imports; the third-party packages (numpy,
msgpack, markupsafe: the `test` extras) are skipped where not installed.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import pytest

from conftest import run_cpython, run_gilless

PROBE_SOURCE = pathlib.Path(__file__).parent / "extension" / "_probe.c"
FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def assert_same_as_cpython(program, cwd=None, env=None):
    program = textwrap.dedent(program)
    expected = run_cpython("-c", program, cwd=cwd, env=env)
    actual = run_gilless("-c", program, cwd=cwd, env=env)
    assert expected.returncode == 0, expected.stderr
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)
    return expected.stdout


@pytest.fixture(scope="module")
def probe_package(tmp_path_factory):
    """A package `probepkg` with the probe extension built into it."""
    compiler = shutil.which(sysconfig.get_config_var("CC").split()[0] if
                            sysconfig.get_config_var("CC") else "cc")
    include = sysconfig.get_paths()["include"]
    if compiler is None or not os.path.exists(os.path.join(include, "Python.h")):
        pytest.skip("no C compiler or no Python headers for the host")
    root = tmp_path_factory.mktemp("probe")
    package = root / "probepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "errors.py").write_text("class ProbeError(Exception):\n    pass\n")
    (package / "other.py").write_text("VALUE = 42\n")
    target = package / ("_probe" + sysconfig.get_config_var("EXT_SUFFIX"))
    built = subprocess.run(
        [compiler, "-shared", "-fPIC", "-I", include, str(PROBE_SOURCE), "-o", str(target)],
        capture_output=True, text=True)
    if built.returncode != 0:
        pytest.skip(f"the probe extension does not build here: {built.stderr[-500:]}")
    return root


def test_extension_suffixes_are_the_hosts():
    out = assert_same_as_cpython("""
        import importlib.machinery, _imp
        print(importlib.machinery.EXTENSION_SUFFIXES, _imp.extension_suffixes())
    """)
    assert sysconfig.get_config_var("EXT_SUFFIX") in out


def test_extension_imports_and_raises_the_guests_classes(probe_package):
    out = assert_same_as_cpython("""
        import sys
        import probepkg.errors as errors
        from probepkg import _probe
        print(type(_probe.__loader__).__name__, _probe.__spec__.origin.endswith(".so"))
        print("module imported at initialisation is the guest's:",
              _probe.errors_module_at_init() is errors)
        try:
            _probe.raise_probe_error("boom")
        except errors.ProbeError as error:
            print("caught", type(error).__module__, error)
        other = _probe.import_from_package("other")
        print("imported as Cython imports:", other is sys.modules["probepkg.other"],
              other.VALUE, type(other.__spec__.loader).__name__, other.__spec__.name)
    """, cwd=probe_package)
    assert "caught probepkg.errors boom" in out
    assert "imported as Cython imports: True 42" in out


@pytest.mark.skipif(not FREE_THREADED, reason="a free-threaded host's GIL")
def test_extension_without_free_threading_support_enables_the_gil(probe_package):
    out = assert_same_as_cpython("""
        import sys, warnings
        print(sys._is_gil_enabled())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from probepkg import _probe
        print(sys._is_gil_enabled())
        for warning in caught:
            print(warning.category.__name__, warning.message)
    """, cwd=probe_package)
    assert out.startswith("False\nTrue\nRuntimeWarning")
    assert "'probepkg._probe'" in out


@pytest.mark.skipif(not FREE_THREADED, reason="a free-threaded host's GIL")
def test_x_gil_0_keeps_the_gil_disabled_as_in_cpython(probe_package):
    program = "import sys; from probepkg import _probe; print(sys._is_gil_enabled(), sys.argv)"
    expected = run_cpython("-X", "gil=0", "-c", program, "arg", cwd=probe_package)
    actual = run_gilless("-X", "gil=0", "-c", program, "arg", cwd=probe_package)
    assert (actual.stdout, actual.stderr) == (expected.stdout, expected.stderr)
    assert expected.stdout == "False ['-c', 'arg']\n"


def test_standard_library_module_not_shared_is_not_found_and_says_why():
    # The host's subinterpreters module: 3.11 and 3.12 call it _xxsubinterpreters. Not
    # found, as in a CPython built without it (a probe with `find_spec` says so); loaded
    # from its file, it says why.
    name = "_interpreters" if sys.version_info >= (3, 13) else "_xxsubinterpreters"
    result = run_gilless("-c", f"""if True:
        import importlib.machinery, importlib.util, os, sys
        print(importlib.util.find_spec({name!r}))
        importlib.invalidate_caches()
        print(importlib.util.find_spec({name!r}))
        try:
            import {name}
        except ImportError as error:
            print(type(error).__name__, error)
        directory = next(entry for entry in sys.path if entry.endswith("lib-dynload"))
        path = os.path.join(directory, {name!r} + importlib.machinery.EXTENSION_SUFFIXES[0])
        spec = importlib.util.spec_from_file_location({name!r}, path)
        importlib.util.module_from_spec(spec)
        """)
    assert result.returncode == 1
    assert result.stdout == f"None\nNone\nModuleNotFoundError No module named '{name}'\n"
    assert f"ModuleNotFoundError: gilless does not load the host's '{name}' module: " \
        "its interpreters run the host's Python, not gilless" in result.stderr


def test_host_test_helper_modules_are_shared():
    # CPython's own tests use them on the objects they test, which are the host's.
    assert_same_as_cpython("""
        import _testcapi, _testmultiphase
        class Mine(Exception):
            pass
        try:
            _testcapi.raise_exception(Mine, 2)
        except Mine as error:
            print(type(error).__name__, error.args)
        print(_testcapi.docstring_no_signature.__name__, _testmultiphase.Example.__name__)
    """)


def test_numpy():
    pytest.importorskip("numpy")
    out = assert_same_as_cpython("""
        import numpy as np
        import numpy._core._exceptions as exceptions
        a = np.arange(6, dtype=np.float64).reshape(2, 3)
        print(a.sum(axis=0), a @ a.T, a.dtype, repr(np.float64(0.1)), np.float64(1) / 3)
        print(np.linalg.inv(np.array([[2.0, 0.0], [0.0, 4.0]])))
        try:
            np.array(["a"]) * np.array(["b"])
        except exceptions._UFuncNoLoopError as error:
            print("no loop:", type(error) is exceptions._UFuncNoLoopError, error)
        try:
            np.zeros(3).astype("int64", casting="safe")
        except TypeError as error:
            print("cast:", error)
        try:
            np.array([1, 2]) + np.array([1, 2, 3])
        except ValueError as error:
            print("broadcast:", error)
        print(np.random.default_rng(1).integers(0, 10, 5))
    """)
    assert "no loop: True" in out


def test_msgpack():
    pytest.importorskip("msgpack")
    out = assert_same_as_cpython("""
        import datetime, msgpack
        print(msgpack.Packer.__module__)
        data = {"a": [1, 2.5, None, True], "b": b"bytes", "c": "text"}
        print(msgpack.unpackb(msgpack.packb(data)))
        moment = datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc)
        print(msgpack.unpackb(msgpack.packb(moment, datetime=True), timestamp=3))
        try:
            msgpack.unpackb(b"\\xc1")
        except msgpack.FormatError as error:
            print("format error", type(error).__module__)
        try:
            msgpack.unpackb(b"\\x01\\x02")
        except msgpack.ExtraData as error:
            print("extra data", error.unpacked, error.extra)
    """)
    assert "format error msgpack.exceptions" in out


def test_markupsafe_uses_its_speedups():
    pytest.importorskip("markupsafe._speedups")
    out = assert_same_as_cpython("""
        import markupsafe, markupsafe._speedups
        print("speedups:", markupsafe._escape_inner is markupsafe._speedups._escape_inner)
        print(markupsafe.escape("<a href='x'>&</a>"), markupsafe.Markup("<b>%s</b>") % "<i>")
    """)
    assert "speedups: True" in out


def test_pip_chooses_the_hosts_wheel_tags():
    pytest.importorskip("pip")
    out = assert_same_as_cpython("""
        from pip._internal.utils.compatibility_tags import get_supported
        from pip._vendor.packaging import tags
        print(tags.interpreter_name())
        print([str(tag) for tag in get_supported()])
    """)
    version = "%d%d" % sys.version_info[:2]
    assert f"'cp{version}-cp{version}{'t' if FREE_THREADED else ''}-" in out


def test_regex():
    pytest.importorskip("regex")
    out = assert_same_as_cpython("""
        import regex
        print(regex.findall(r"\\p{L}+", "héllo wörld 12"), type(regex.compile("a")).__module__)
        print(regex.sub(r"(?<word>\\w+)", r"<\\g<word>>", "a bc"))
        try:
            regex.compile("(")
        except regex.error as error:
            print("error:", type(error) is regex.error, error)
    """)
    assert "error: True" in out


def test_pydantic_core():
    pytest.importorskip("pydantic_core")
    out = assert_same_as_cpython("""
        import datetime, decimal, enum
        from pydantic_core import SchemaValidator, ValidationError, core_schema

        class Colour(enum.Enum):
            RED = "red"

        validator = SchemaValidator(core_schema.typed_dict_schema({
            "n": core_schema.typed_dict_field(core_schema.int_schema()),
            "when": core_schema.typed_dict_field(core_schema.date_schema()),
            "amount": core_schema.typed_dict_field(core_schema.decimal_schema()),
            "colour": core_schema.typed_dict_field(
                core_schema.enum_schema(Colour, list(Colour.__members__.values()))),
        }))
        print(validator.validate_python(
            {"n": "3", "when": "2021-02-03", "amount": "2.25", "colour": "red"}))
        try:
            validator.validate_python({"n": "x", "when": "2021-02-03", "amount": 1, "colour": "red"})
        except ValidationError as error:
            print("invalid:", error.error_count(), error.errors()[0]["type"])
    """)
    assert "invalid: 1 int_parsing" in out
