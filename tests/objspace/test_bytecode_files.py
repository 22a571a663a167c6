"""PEP 3147 file names under gilless's own tag: the tools that write pyc files
(py_compile, compileall, pip's byte-compilation) work, and -B,
PYTHONDONTWRITEBYTECODE and PYTHONPYCACHEPREFIX mean what they mean in CPython.
Each program runs under gilless and under the host CPython; paths are printed
with the implementation's tag replaced, so the outputs must be equal."""

import textwrap

import pytest

from conftest import run_cpython, run_gilless


COMPILE_TOOLS = textwrap.dedent("""
    import compileall, importlib.util, marshal, os, py_compile, sys
    tag = sys.implementation.cache_tag
    def show(path):
        return os.path.relpath(path).replace(tag, "TAG")
    cached = importlib.util.cache_from_source(os.path.abspath("pkg/mod.py"))
    print(show(cached), show(importlib.util.source_from_cache(cached)))
    written = py_compile.compile("pkg/mod.py", doraise=True)
    print(show(written), os.path.exists(written))
    print(compileall.compile_dir("pkg", quiet=1))
    print(sorted(show(os.path.join(d, f)) for d, _, fs in os.walk(".") for f in fs
                 if f.endswith(".pyc")))
    with open(written, "rb") as f:
        data = f.read()
    print(data[:4] == importlib.util.MAGIC_NUMBER)
    exec(marshal.loads(data[16:]), {"__name__": "from_pyc"})
""")


def _tree(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mod.py").write_text("print('mod runs as', __name__)\n")


@pytest.mark.parametrize("options, environment", [
    ([], {}),
    ([], {"PYTHONPYCACHEPREFIX": "prefix"}),
    (["-X", "pycache_prefix=other"], {"PYTHONPYCACHEPREFIX": "prefix"}),
    (["-X", "pycache_prefix="], {"PYTHONPYCACHEPREFIX": "prefix"}),
    (["-E"], {"PYTHONPYCACHEPREFIX": "prefix"}),
])
def test_compile_tools_write_pyc_files_as_cpython_does(tmp_path, options, environment):
    _tree(tmp_path)
    expected = run_cpython(*options, "-c", COMPILE_TOOLS, cwd=tmp_path, env=environment)
    for pyc in tmp_path.rglob("*.pyc"):
        pyc.unlink()
    actual = run_gilless(*options, "-c", COMPILE_TOOLS, cwd=tmp_path, env=environment)
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)
    assert expected.returncode == 0, expected.stderr
    assert "mod runs as from_pyc" in actual.stdout


@pytest.mark.parametrize("options, environment", [
    ([], {}), (["-B"], {}), ([], {"PYTHONDONTWRITEBYTECODE": "1"}),
    (["-E"], {"PYTHONDONTWRITEBYTECODE": "1"}),
    ([], {"PYTHONPYCACHEPREFIX": "/tmp/elsewhere"}),
    (["-X", "pycache_prefix"], {"PYTHONPYCACHEPREFIX": "/tmp/elsewhere"}),
])
def test_bytecode_settings_reach_sys(tmp_path, options, environment):
    program = "import sys; print(sys.dont_write_bytecode, sys.flags.dont_write_bytecode, " \
              "sys.pycache_prefix)"
    expected = run_cpython(*options, "-c", program, cwd=tmp_path, env=environment)
    actual = run_gilless(*options, "-c", program, cwd=tmp_path, env=environment)
    assert (actual.stdout, actual.returncode) == (expected.stdout, expected.returncode)


TAG = "import sys; print(sys.implementation.cache_tag)"


def test_each_mode_names_its_files_with_its_own_tag(tmp_path):
    """The code each mode compiles differs (switch points, events, the generator
    guard): a pyc file one mode wrote (pytest's rewritten tests) is not another's."""
    host = run_cpython("-c", TAG, cwd=tmp_path).stdout.strip().rpartition("-")[2]
    tags = {mode: run_gilless(*options, "-c", TAG, cwd=tmp_path).stdout.strip()
            for mode, options in (("default", []), ("gil", ["-X", "gil=1"]),
                                  ("race", ["-X", "race"]))}
    assert len(set(tags.values())) == 3, tags
    assert all(tag.startswith(f"gilless-{host}") for tag in tags.values()), tags
    assert tags["gil"].startswith(f"gilless-{host}-gil")


def test_pytest_runs_in_one_mode_after_another(tmp_path):
    (tmp_path / "test_sum.py").write_text(
        "def numbers():\n    yield 1\n    yield 2\n\n"
        "def test_sum():\n    assert sum(x for x in numbers()) == 3\n"
        "    assert list(numbers()) == [1, 2]\n")
    environment = {"PYTHONDONTWRITEBYTECODE": ""}
    for options in ([], ["-X", "gil=1"], [], ["-X", "race"]):
        out = run_gilless(*options, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "test_sum.py", cwd=tmp_path, env=environment)
        assert out.returncode == 0, (options, out.stdout, out.stderr)
    assert len(list((tmp_path / "__pycache__").glob("test_sum.*.pyc"))) == 3
