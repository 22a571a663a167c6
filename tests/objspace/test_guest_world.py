"""The guest world is the guest's own: sys, builtins and the module table are not the
host's, and gilless's frames never show in what guest code sees of a traceback."""

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import run_cpython, run_gilless


def guest(source, *args, **kwargs):
    result = run_gilless("-c", textwrap.dedent(source), *args, **kwargs)
    assert result.returncode == 0, result.stderr
    return result.stdout


def in_gilless_process(source):
    """Run `source` in a host process that also runs a guest world, to compare both sides."""
    script = textwrap.dedent("""
        import sys
        from gilless.objspace.config import Config
        from gilless.objspace.space import Space
        space = Space(Config()).activate()
        def run_guest(text):
            main = space.main_module()
            exec(space.compile(text, "<guest>"), main.__dict__)
            return main.__dict__
    """) + textwrap.dedent(source)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_implementation_name():
    assert guest("import sys; print(sys.implementation.name)") == "gilless\n"
    out = guest("import sys; print(sys.implementation.cache_tag, sys.version_info >= (3, 11))")
    assert out.startswith(f"gilless-{sys.implementation.cache_tag.rpartition('-')[2]}")
    assert out.endswith(" True\n")


def test_guest_sys_modules_is_not_the_hosts():
    out = in_gilless_process("""
        guest = run_guest("import sys, colorsys\\nmods = sys.modules\\n")
        print(guest["mods"] is sys.modules, "colorsys" in sys.modules,
              "colorsys" in guest["mods"], "gilless" in guest["mods"],
              guest["sys"] is sys)
    """)
    assert out == "False False True False False\n"


def test_guest_builtins_are_not_the_hosts():
    out = in_gilless_process("""
        import builtins
        guest = run_guest("import builtins\\nbuiltins.added_by_guest = 1\\nb = builtins\\n")
        print(guest["b"] is builtins, hasattr(builtins, "added_by_guest"),
              guest["b"].__import__ is builtins.__import__, guest["b"].len is builtins.len)
    """)
    assert out == "False False False True\n"


def test_guest_sees_only_guest_modules():
    out = guest("""
        import sys
        print(any(name == 'gilless' or name.startswith('gilless.') for name in sys.modules))
    """)
    assert out == "False\n"


def test_exec_and_import_frames_hidden_from_extract_tb(tmp_path):
    (tmp_path / "failing_module.py").write_text("x = 1\nraise ValueError('at import')\n")
    program = tmp_path / "prog.py"
    program.write_text(textwrap.dedent("""
        import traceback
        def show(tb):
            print([(f.filename.rsplit('/', 1)[-1], f.name) for f in traceback.extract_tb(tb)])
        for action in ("exec('1/0')", "eval('undefined_name')", "__import__('failing_module')",
                       "exec(compile('def f():\\\\n    raise KeyError(1)\\\\nf()', 'gen', 'exec'))",
                       "import failing_module"):
            try:
                exec(action) if action.startswith("import") else eval(action)
            except Exception as error:
                show(error.__traceback__)
    """))
    expected = run_cpython(str(program), cwd=str(tmp_path))
    actual = run_gilless(str(program), cwd=str(tmp_path))
    assert actual.stderr == expected.stderr == ""
    assert actual.stdout == expected.stdout
    assert "gilless" not in actual.stdout


def test_gilless_frames_visible_with_debug():
    out = guest("""
        import sys, traceback
        try:
            # A function of the guest's sys that gilless writes in Python.
            sys.setrecursionlimit("deep")
        except TypeError as e:
            print(any('/gilless/' in f.filename for f in traceback.extract_tb(e.__traceback__)))
    """, env={"GILLESS_DEBUG": "1"})
    assert out == "True\n"


def test_internal_error_is_reported_as_a_gilless_bug():
    out = in_gilless_process("""
        import io, os
        import gilless
        from gilless.objspace.tracebacks import print_guest_exception, InternalError
        # Code whose file lies inside gilless counts as gilless's own.
        inside = os.path.join(os.path.dirname(gilless.__file__), "objspace", "fake.py")
        namespace = {}
        exec(compile("def broken():\\n    return None.attribute\\n", inside, "exec"), namespace)
        for make in (namespace["broken"], lambda: (_ for _ in ()).throw(InternalError("bad state"))):
            try:
                make()
            except Exception as error:
                stream = io.StringIO()
                print_guest_exception(error, stream)
                text = stream.getvalue()
                print(text.startswith("gilless: internal error"), "this is a bug in gilless" in text)
        # A guest AttributeError is the guest's own error, not a gilless bug.
        try:
            run_guest("None.attribute")
        except AttributeError as error:
            stream = io.StringIO()
            print_guest_exception(error, stream)
            print(stream.getvalue().splitlines()[-1])
    """)
    assert out == ("True True\nTrue True\n"
                   "AttributeError: 'NoneType' object has no attribute 'attribute'\n")


def test_recursion_error_not_a_crash():
    result = run_gilless("-c", "def f(n): return f(n + 1)\nf(0)")
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "RecursionError: maximum recursion depth exceeded")
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("env", [None, {"GILLESS_DEBUG": "1"}], ids=["", "measured"])
def test_recursion_limit_is_the_guests(env):
    """(GILLESS_DEBUG leaves the host's frame layout alone: the levels gilless's frames
    take below the main program are then measured, and the host's limit raised.)"""
    source = ("import sys\nprint(sys.getrecursionlimit())\nsys.setrecursionlimit(321)\n"
              "print(sys.getrecursionlimit())\n"
              "def depth():\n    try:\n        return 1 + depth()\n"
              "    except RecursionError:\n        return 1\n"
              "print(depth())\n")
    assert run_gilless("-c", source, env=env).stdout == run_cpython("-c", source).stdout


def test_main_module_of_a_package(tmp_path):
    programs = os.path.join(os.path.dirname(__file__), "..", "differential", "programs",
                            "pkgdata")
    expected = run_cpython("-m", "runnable", "x", "y", cwd=programs)
    actual = run_gilless("-m", "runnable", "x", "y", cwd=programs)
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)
    assert "runnable __main__ __main__ runnable runnable.__main__ ['x', 'y']" in actual.stdout


def test_decimal_is_a_guest_number():
    out = guest("""
        import decimal, fractions, numbers, collections.abc
        d = decimal.Decimal(1)
        print(isinstance(d, numbers.Number), d == fractions.Fraction(1),
              isinstance(decimal.getcontext().flags, collections.abc.MutableMapping))
    """)
    assert out == "True True True\n"


def test_c_code_finds_guest_modules():
    out = guest("""
        import datetime, json
        print(datetime.datetime.strptime('2020-02-03', '%Y-%m-%d').day)
        try:
            json.loads('[1,')
        except json.JSONDecodeError as e:
            print(type(e).__module__, e.pos)
    """)
    assert out == "3\njson.decoder 3\n"


def test_a_second_guest_world_in_one_process_is_refused():
    out = in_gilless_process("""
        from gilless.base.state import AlreadyInstalled, world
        try:
            Space(Config()).activate()
        except AlreadyInstalled as error:
            print(error)
        # The first world is still the one imports and streams serve.
        print(world.modules is space.modules, run_guest("import os; x = os.sep")["x"])
    """)
    assert out == ("a guest world is already active in this process "
                   "(gilless runs one per process)\nTrue /\n")


def test_an_error_from_a_package_getattr_during_from_import_shows_cpythons_frames(tmp_path):
    # The error passes through the import statement's own function, which is
    # gilless's although its code is named as importlib's; importlib's frame stays.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "def __getattr__(name):\n    raise RuntimeError(name)\n")
    program = "from pkg import missing\n"
    expected = run_cpython("-c", program, cwd=tmp_path)
    actual = run_gilless("-c", program, cwd=tmp_path)
    assert "_handle_fromlist" in expected.stderr
    assert (actual.stderr, actual.returncode) == (expected.stderr, expected.returncode)


def test_exec_eval_and_compile_are_the_hosts_where_its_compiler_is_gillesss():
    """With no lowering pass and the host's optimisation level, gilless compiles as the
    host does: the guest's exec, eval and compile are the host's C functions (the
    calling frame gives them the guest's builtins and future features). Otherwise
    they are gilless's, and compile as the guest's options say."""
    from gilless.compiler import generatorguard
    program = ("kinds = {type(f).__name__ for f in (exec, eval, compile)}\n"
               "exec('assert False, \"asserts run\"') if __debug__ else None\n"
               "fresh = {}\n"
               "exec('pass', fresh)\n"
               "print(sorted(kinds), fresh['__builtins__'] is vars(__import__('builtins')))\n")
    native = run_gilless("-c", program)
    optimized = run_gilless("-O", "-c", program)
    assert native.returncode == 1 and "AssertionError: asserts run" in native.stderr
    assert optimized.returncode == 0, optimized.stderr
    assert optimized.stdout == "['function'] True\n"
    if not generatorguard.NEEDED:
        ran = run_gilless("-c", program.replace("exec('assert", "exec('pass #"))
        assert ran.stdout == "['builtin_function_or_method'] True\n", ran.stderr


def test_the_host_configuration_is_laid_out_as_ctypes_lays_it_out():
    # show_sys_path_0 writes PyConfig.sys_path_0 at the offset config_offsets computes.
    import ctypes
    from gilless.module import syshostview
    types = {"int": ctypes.c_int, "ulong": ctypes.c_ulong, "wstr": ctypes.c_wchar_p,
             "wstrlist": ctypes.c_ssize_t * 2}
    config = type("Config", (ctypes.Structure,), {"_fields_": [
        (name, types[kind]) for name, kind in syshostview._CONFIG_313]})
    assert syshostview.config_offsets() == {
        name: (getattr(config, name).offset, kind) for name, kind in syshostview._CONFIG_313}
