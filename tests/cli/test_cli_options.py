"""Command-line options, each compared with the host CPython; where the output is
necessarily gilless's own (help, -VV, the program name in usage errors), its form
is asserted directly."""

import subprocess
import sys

import pytest

from cliutil import assert_same, both
from conftest import run_gilless

# The test environment may set these; options are compared against a known state.
NEUTRAL = {"PYTHONUNBUFFERED": "", "PYTHONDONTWRITEBYTECODE": "", "PYTHONOPTIMIZE": "",
           "PYTHONWARNINGS": "", "PYTHONINSPECT": "", "PYTHONSAFEPATH": "",
           "PYTHONNOUSERSITE": "", "PYTHONPATH": "", "PYTHONDEBUG": ""}


def env(**extra):
    return dict(NEUTRAL, **extra)


FLAGS = ("import sys; f = sys.flags; print(f.inspect, f.interactive, f.optimize, "
         "f.dont_write_bytecode, f.no_user_site, f.no_site, f.ignore_environment, f.verbose, "
         "f.quiet, f.isolated, f.safe_path, f.dev_mode, f.bytes_warning, f.debug, "
         "sys.dont_write_bytecode, sys.warnoptions, sys._xoptions)")


@pytest.mark.parametrize("options", [
    [], ["-O"], ["-OO"], ["-O", "-O"], ["-B"], ["-S"], ["-s"], ["-E"], ["-I"], ["-P"],
    ["-q"], ["-b"], ["-bb"], ["-v"], ["-BsSEq"], ["-X", "dev"], ["-Wd"], ["-W", "ignore", "-W", "error::DeprecationWarning"],
    ["-d"], ["-dd"], ["-R"], ["-RO"],
])
def test_sys_flags(options, tmp_path):
    expected, actual = both(*options, "-c", FLAGS, env=env(), cwd=tmp_path)
    if "-v" in options:
        # Both trace imports on stderr; the imports themselves differ.
        expected.stderr = actual.stderr = ""
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)


def test_flags_from_environment(tmp_path):
    environment = env(PYTHONOPTIMIZE="2", PYTHONDONTWRITEBYTECODE="1", PYTHONNOUSERSITE="1",
                      PYTHONSAFEPATH="1", PYTHONWARNINGS="ignore,default::UserWarning",
                      PYTHONDEBUG="1")
    assert_same("-c", FLAGS, env=environment, cwd=tmp_path)
    assert_same("-E", "-c", FLAGS, env=environment, cwd=tmp_path)


@pytest.mark.parametrize("options", [["-E"], ["-I"], []])
def test_hash_seed_and_stream_encoding_from_environment(options, tmp_path):
    # The host reads these as it starts: ignored by the guest, they must be by the host.
    seeded = subprocess.run([sys.executable, "-c", "print(hash('abc'))"], text=True,
                            capture_output=True, env=env(PYTHONHASHSEED="0")).stdout
    program = ("import sys; print(sys.flags.hash_randomization, sys.stdout.encoding, "
               f"hash('abc') == {int(seeded)})")
    environment = env(PYTHONHASHSEED="0", PYTHONIOENCODING="latin-1")
    assert_same(*options, "-c", program, env=environment, cwd=tmp_path)


SET_DISPLAY = 'print(list({"a", "b", "c", "d", "e"}), list({%s}))' % ", ".join(
    repr(f"key{number}") for number in range(12))


def _seed_that_marshal_reorders():
    """A hash seed under which a marshalled copy of the program's set constants iterates
    in another order than the compiler's."""
    probe = ("import marshal, sys; code = compile(sys.argv[1], 'p', 'exec'); "
             "again = marshal.loads(marshal.dumps(code)); "
             "print([list(c) for c in code.co_consts if type(c) is frozenset] != "
             "[list(c) for c in again.co_consts if type(c) is frozenset])")
    for seed in range(40):
        out = subprocess.run([sys.executable, "-c", probe, SET_DISPLAY], text=True,
                             capture_output=True, env=env(PYTHONHASHSEED=str(seed)))
        if out.stdout.strip() == "True":
            return str(seed)
    raise AssertionError("no seed below 40 reorders the sets")


def test_a_script_prints_its_sets_alike_at_every_run(tmp_path):
    # CPython compiles the main script at every run; a copy from gilless's compile cache
    # must not change what a fixed seed makes of its set displays.
    script = tmp_path / "sets.py"
    script.write_text(SET_DISPLAY + "\n")
    environment = env(PYTHONHASHSEED=_seed_that_marshal_reorders(),
                      GILLESS_CACHE_DIR=str(tmp_path / "cache"))
    for _ in range(2):
        assert_same(str(script), env=environment, cwd=tmp_path)


@pytest.mark.parametrize("value", ["0", "1", "2", "yes", "-1"])
def test_environment_flags_read_as_levels(value, tmp_path):
    # A number is the level, 0 is off; other text is 1. (PYTHONSAFEPATH: any text.)
    names = ("PYTHONOPTIMIZE", "PYTHONDONTWRITEBYTECODE", "PYTHONNOUSERSITE",
             "PYTHONINSPECT", "PYTHONUNBUFFERED", "PYTHONDEBUG", "PYTHONSAFEPATH")
    program = FLAGS + "; print(type(sys.stdout.buffer).__name__)"
    assert_same("-c", program, env=env(**{name: value for name in names}), cwd=tmp_path)


@pytest.mark.parametrize("options", [["-b"], ["-bb"], ["-b", "-b"], []])
def test_bytes_warnings(options, tmp_path):
    # The host's C code checks its own flag: gilless starts it again with it.
    program = 'print(str(b"x")); print(b"a" == "a"); print({b"k": 1, "k": 2})'
    assert_same(*options, "-c", program, env=env(), cwd=tmp_path)


def test_version(tmp_path):
    for option in ("-V", "--version"):
        out = assert_same(option, cwd=tmp_path)
        assert out.stdout == "Python {}.{}.{}\n".format(*sys.version_info[:3])


def test_version_twice_names_gilless_and_its_host(tmp_path):
    for options in (["-VV"], ["-V", "-V"], ["--version", "--version"]):
        out = run_gilless(*options, cwd=tmp_path)
        assert out.returncode == 0 and out.stderr == ""
        assert out.stdout.startswith("Python {}.{}.{} (gilless ".format(*sys.version_info[:3]))
        assert sys.version.splitlines()[0] in out.stdout


OPTIONS_HELP = ("usage: gilless [option] ... [-c cmd | -m mod | file | -] [arg]", "-c cmd",
                "-m mod", "-i ", "-O ", "-X opt :", "--check-hash-based-pycs", "--help-env")
ENVIRONMENT_HELP = ("PYTHONSTARTUP", "PYTHONHASHSEED", "PYTHON_GIL  ", "GILLESS_CACHE_DIR")
XOPTIONS_HELP = ("-X faulthandler:", "-X int_max_str_digits=N:", "-X gil=1:", "-X race[",
                 "-X threadprof[")


@pytest.mark.parametrize("options, documented, left_out", [
    (["-h"], OPTIONS_HELP, ENVIRONMENT_HELP + XOPTIONS_HELP),
    (["-?"], OPTIONS_HELP, ENVIRONMENT_HELP + XOPTIONS_HELP),
    (["--help"], OPTIONS_HELP, ENVIRONMENT_HELP + XOPTIONS_HELP),
    (["--help-env"], ENVIRONMENT_HELP, OPTIONS_HELP + XOPTIONS_HELP),
    (["--help-xoptions"], XOPTIONS_HELP, OPTIONS_HELP + ENVIRONMENT_HELP),
    (["--help-all"], OPTIONS_HELP + ENVIRONMENT_HELP + XOPTIONS_HELP, ()),
])
def test_help(options, documented, left_out, tmp_path):
    out = run_gilless(*options, cwd=tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    for text in documented:
        assert text in out.stdout
    for text in left_out:
        assert text not in out.stdout
    if options[0] != "-h":
        # (CPython's first lines, in its own words.)
        first = both(*options, cwd=tmp_path)[0].stdout.split()[0]
        assert out.stdout.split()[0] == first


@pytest.mark.parametrize("args, message", [
    (["-c"], "Argument expected for the -c option"),
    (["-m"], "Argument expected for the -m option"),
    (["-W"], "Argument expected for the -W option"),
    (["-X"], "Argument expected for the -X option"),
    (["-Z"], "Unknown option: -Z"),
    (["-qZ", "-c", "pass"], "Unknown option: -Z"),
    (["--frobnicate"], "unknown option --frobnicate"),
    (["-J"], "-J is reserved for Jython"),
    (["--check-hash-based-pycs"], "Argument expected for the --check-hash-based-pycs options"),
    (["--check-hash-based-pycs", "bogus", "-c", "pass"],
     "--check-hash-based-pycs must be one of 'default', 'always', or 'never'"),
    (["--check-hash-based-pycs=never", "-c", "pass"],
     "unknown option --check-hash-based-pycs=never"),
])
def test_usage_errors(args, message, tmp_path):
    out = run_gilless(*args, cwd=tmp_path)
    expected = both(*args, cwd=tmp_path)[0]
    assert expected.returncode == 2 and message in expected.stderr
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == (f"{message}\n"
                          "usage: gilless [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
                          "Try `gilless -h' for more information.\n")


@pytest.mark.parametrize("value", ["2", "x", "", "01"])
def test_usage_error_for_gil_xoption(value, tmp_path):
    out = run_gilless("-X", f"gil={value}", "-c", "print('ran')", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == ("-X gil=N takes 0 or 1\n"
                          "usage: gilless [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
                          "Try `gilless -h' for more information.\n")


@pytest.mark.parametrize("options", [[], ["--check-hash-based-pycs", "always"],
                                     ["--check-hash-based-pycs", "never"]])
def test_check_hash_based_pycs(options, tmp_path):
    assert_same(*options, "-c", "import _imp; print(_imp.check_hash_based_pycs)", cwd=tmp_path)


def test_xoptions(tmp_path):
    program = "import sys; print(sorted(sys._xoptions.items()), sys.flags.dev_mode)"
    assert_same("-X", "a", "-Xb=1", "-X", "c=x=y", "-c", program, env=env(), cwd=tmp_path)
    assert_same("-X", "dev", "-c", program, env=env(), cwd=tmp_path)


def test_xoption_gil_is_visible(tmp_path):
    out = run_gilless("-X", "gil=1", "-c", "import sys; print(sys._xoptions)", cwd=tmp_path)
    assert out.stdout == "{'gil': '1'}\n" and out.returncode == 0


OPTIMIZED = '''\
def f():
    "doc of f"
assert False, "asserts are on"
print(__debug__, f.__doc__)
'''


@pytest.mark.parametrize("options", [[], ["-O"], ["-OO"]])
def test_optimize_levels(options, tmp_path):
    (tmp_path / "opt.py").write_text(OPTIMIZED)
    assert_same(*options, "opt.py", env=env(), cwd=tmp_path)
    assert_same(*options, "-c", OPTIMIZED, env=env(), cwd=tmp_path)


def test_optimize_applies_to_imported_modules(tmp_path):
    (tmp_path / "lib.py").write_text(OPTIMIZED)
    assert_same("-OO", "-c", "import lib", env=env(), cwd=tmp_path)
    assert_same("-c", "import lib", env=env(PYTHONOPTIMIZE="1"), cwd=tmp_path)


def test_no_site(tmp_path):
    program = "import sys; print('site' in sys.modules, hasattr(__builtins__, 'exit'))"
    assert_same("-S", "-c", program, env=env(), cwd=tmp_path)
    assert_same("-c", program, env=env(), cwd=tmp_path)


PATH0 = "import sys, os; print(repr(sys.path[0]) if sys.path[0] in ('', os.getcwd()) else 'stdlib')"


@pytest.mark.parametrize("options", [[], ["-P"], ["-I"], ["-E"]])
def test_safe_path_options(options, tmp_path):
    (tmp_path / "prog.py").write_text(PATH0.replace("os.getcwd()", "os.path.dirname(__file__)"))
    assert_same(*options, "-c", PATH0, env=env(), cwd=tmp_path)
    assert_same(*options, "prog.py", env=env(), cwd=tmp_path)
    (tmp_path / "mod.py").write_text(PATH0)
    assert_same(*options, "-m", "mod", env=env(PYTHONPATH=str(tmp_path)), cwd=tmp_path)


def test_pythonpath_and_ignoring_it(tmp_path):
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "extramod.py").write_text("print('extramod imported')\n")
    environment = env(PYTHONPATH=str(tmp_path / "extra"))
    program = "import sys; print([p for p in sys.path if 'extra' in p]); import extramod"
    assert_same("-c", program, env=environment, cwd=tmp_path)
    out = assert_same("-E", "-c", program, env=environment, cwd=tmp_path)
    assert "ModuleNotFoundError" in out.stderr
    assert_same("-I", "-c", "import extramod", env=environment, cwd=tmp_path)


@pytest.mark.parametrize("options", [[], ["-S"], ["-I"]])
def test_sys_path_whole(options, tmp_path):
    # The standard library's zip file first, named whether or not there is one.
    assert_same(*options, "-c", "import sys; print(sys.path)",
                env=env(PYTHONPATH=str(tmp_path)), cwd=tmp_path)


@pytest.mark.parametrize("pythonpath", [":extra", "extra::", "./extra/../extra", "extra"])
def test_pythonpath_entries_made_absolute(pythonpath, tmp_path):
    # An empty entry is the current directory (`PYTHONPATH=$PYTHONPATH:lib`).
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "extramod.py").write_text("print('extramod imported')\n")
    (tmp_path / "cwdmod.py").write_text("print('cwdmod imported')\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "prog.py").write_text(
        "import sys; print([p for p in sys.path if not p.startswith(sys.base_prefix)])\n"
        "for name in ('extramod', 'cwdmod'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ImportError as error:\n"
        "        print(error)\n")
    for options in ([], ["-S"]):
        assert_same(*options, "sub/prog.py", env=env(PYTHONPATH=pythonpath), cwd=tmp_path)


def test_isolated_ignores_user_site_and_environment(tmp_path):
    program = "import sys, site; print(sys.flags.isolated, site.ENABLE_USER_SITE)"
    assert_same("-I", "-c", program, env=env(PYTHONSAFEPATH="", PYTHONINSPECT="1"),
                cwd=tmp_path)
    assert_same("-s", "-c", program, env=env(), cwd=tmp_path)


def test_dont_write_bytecode(tmp_path):
    program = "import sys; print(sys.dont_write_bytecode, sys.flags.dont_write_bytecode)"
    assert_same("-B", "-c", program, env=env(), cwd=tmp_path)
    assert_same("-c", program, env=env(), cwd=tmp_path)
    assert_same("-c", program, env=env(PYTHONDONTWRITEBYTECODE="1"), cwd=tmp_path)


def _cache_entries(cache):
    return {path for path in cache.rglob("*") if path.is_file()}


@pytest.mark.parametrize("options, environment, writes", [
    ([], {}, True),
    (["-B"], {}, False),
    ([], {"GILLESS_CACHE": "0"}, False),
    # The compile cache is not __pycache__: the host's variable leaves it on.
    ([], {"PYTHONDONTWRITEBYTECODE": "1"}, True),
])
def test_compile_cache_is_written_unless_turned_off(options, environment, writes, tmp_path):
    cache = tmp_path / "cache"
    (tmp_path / "lib.py").write_text("X = 1\n")

    def run(program):
        out = run_gilless(*options, "-c", program, cwd=tmp_path,
                          env=env(GILLESS_CACHE_DIR=str(cache), **environment))
        assert (out.stdout, out.stderr, out.returncode) == ("1\n", "", 0)
        return _cache_entries(cache)

    before = run("print(1)")
    after = run("import lib; print(lib.X)")
    if writes:
        # The standard library's modules at start-up, then lib's: its entry, and the link
        # that finds it by the file's status.
        assert before and sorted(path.suffix for path in after - before) == [".code", ".link"]
    else:
        assert not after
    assert not (tmp_path / "__pycache__").exists()


UNBUFFERED = ("import sys, os\nsys.stdout.write('text-layer ')\n"
              "os.write(1, b'file-descriptor ')\nsys.stdout.write('end')\n")


@pytest.mark.parametrize("options, environment", [
    ([], {}), (["-u"], {}), ([], {"PYTHONUNBUFFERED": "1"}), (["-E"], {"PYTHONUNBUFFERED": "1"}),
])
def test_unbuffered(options, environment, tmp_path):
    # Buffered, the text reaches the pipe after the direct write; unbuffered, in order.
    assert_same(*options, "-c", UNBUFFERED, env=env(**environment), cwd=tmp_path)


WARN = "import warnings; warnings.warn('careful', DeprecationWarning); print('went on')"


@pytest.mark.parametrize("options", [
    [], ["-Wd"], ["-W", "ignore"], ["-W", "always::UserWarning", "-W", "default"],
    ["-W", "bogus"], ["-W", "ignore::NoSuchWarning"],
])
def test_warning_options(options, tmp_path):
    assert_same(*options, "-c", WARN, env=env(), cwd=tmp_path)


@pytest.mark.parametrize("options, environment", [
    (["-W", "error"], {}), (["-Werror::DeprecationWarning"], {}),
    ([], {"PYTHONWARNINGS": "error"}), (["-E"], {"PYTHONWARNINGS": "error"}),
])
def test_warnings_as_errors(options, environment, tmp_path):
    assert_same(*options, "-c", WARN, env=env(**environment), cwd=tmp_path)


def test_warnings_from_environment(tmp_path):
    assert_same("-c", "import sys; print(sys.warnoptions)",
                env=env(PYTHONWARNINGS="default, ignore::ImportWarning"), cwd=tmp_path)
    assert_same("-W", "error", "-X", "dev", "-bb", "-c", "import sys; print(sys.warnoptions)",
                env=env(PYTHONWARNINGS="ignore", PYTHONDEVMODE=""), cwd=tmp_path)
    assert_same("-c", "import sys; print(sys.warnoptions, sys.flags.dev_mode)",
                env=env(PYTHONDEVMODE="1"), cwd=tmp_path)


def test_skip_first_line(tmp_path):
    # -x: the first line is not Python; line numbers still count it.
    (tmp_path / "prog.py").write_text("this is not python @@\nprint('ok')\n1/0\n")
    out = assert_same("-x", "prog.py", cwd=tmp_path)
    assert 'line 3' in out.stderr
    (tmp_path / "one.py").write_text("only a first line")
    assert_same("-x", "one.py", cwd=tmp_path)


def test_check_hash_based_pycs_is_accepted(tmp_path):
    assert_same("--check-hash-based-pycs", "never", "-c", "print(1)", cwd=tmp_path)


def test_verbose_traces_imports(tmp_path):
    (tmp_path / "lib.py").write_text("")
    out = run_gilless("-v", "-c", "import lib", env=env(), cwd=tmp_path)
    assert out.returncode == 0
    assert "import 'lib'" in out.stderr


def test_unimportable_breakpoint_hook(tmp_path):
    # The warning names the line that called breakpoint(), as CPython's C warning does.
    program = "def f():\n    breakpoint()\nf()\nprint('went on')\n"
    (tmp_path / "prog.py").write_text(program)
    assert_same("prog.py", env=env(PYTHONBREAKPOINT="nosuch.hook"), cwd=tmp_path)
    assert_same("-E", "prog.py", env=env(PYTHONBREAKPOINT="0"), input="c\n", cwd=tmp_path)
