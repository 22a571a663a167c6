"""The program forms of the command line: a script, `-c`, `-m` (modules and packages),
`-` and piped standard input, directories and zip files with a `__main__.py`.

Each program reports what CPython defines for it: `__name__`, `__file__`,
`__package__`, the spec's name, `sys.argv` and `sys.path[0]`, and gilless
must report the same."""

import os
import subprocess
import zipfile

import pytest

from cliutil import GILLESS_EXECUTABLE, assert_same
from conftest import HOST_PYTHON

REPORT = """\
import sys
spec = globals().get("__spec__")
print("name", __name__)
print("file", globals().get("__file__", "<none>"))
print("package", repr(globals().get("__package__")))
print("spec", spec.name if spec is not None else None)
print("argv", sys.argv)
print("path0", repr(sys.path[0]))
print("main", sys.modules["__main__"].__name__, sys.modules["__main__"] is sys.modules[__name__])
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_script_with_arguments(tmp_path):
    write(tmp_path / "prog.py", REPORT)
    assert_same("prog.py", "a", "-b", "--c", cwd=tmp_path)


def test_script_in_another_directory(tmp_path):
    write(tmp_path / "sub" / "prog.py", REPORT)
    assert_same("sub/prog.py", "x", cwd=tmp_path)
    assert_same(str(tmp_path / "sub" / "prog.py"), cwd="/")


def test_script_through_a_symlink_puts_the_real_directory_on_the_path(tmp_path):
    write(tmp_path / "real" / "prog.py", REPORT)
    (tmp_path / "link.py").symlink_to(tmp_path / "real" / "prog.py")
    out = assert_same("link.py", cwd=tmp_path)
    assert repr(str(tmp_path / "real")) in out.stdout


def test_script_path_is_joined_to_the_working_directory_unnormalised(tmp_path):
    """`__file__` and the traceback's file are the path as given, made absolute: through
    a symbolic link, `lnk/../q.py` is another file than the normalised `q.py`."""
    program = REPORT + "raise ValueError(open(__file__).read().count('REPORT'))  # REPORT\n"
    write(tmp_path / "deep" / "sub" / "prog.py", "")
    write(tmp_path / "deep" / "q.py", program)
    write(tmp_path / "q.py", "print('another file')\n")
    (tmp_path / "lnk").symlink_to(tmp_path / "deep" / "sub")
    out = assert_same("lnk/../q.py", cwd=tmp_path)
    assert f'File "{tmp_path}/lnk/../q.py", line 10' in out.stderr
    assert "ValueError: 2" in out.stderr
    assert_same("./deep/./q.py", cwd=tmp_path)


def test_script_imports_its_neighbours(tmp_path):
    write(tmp_path / "helper.py", "VALUE = 42\n")
    write(tmp_path / "prog.py", "import helper\nprint(helper.VALUE, helper.__name__)\n")
    assert_same("prog.py", cwd=tmp_path)


def test_options_end_at_the_script_name(tmp_path):
    write(tmp_path / "prog.py", REPORT)
    assert_same("-q", "prog.py", "-c", "print(1)", "-m", cwd=tmp_path)
    assert_same("--", "prog.py", "-i", cwd=tmp_path)


def test_command(tmp_path):
    assert_same("-c", REPORT, "arg1", "-x", cwd=tmp_path)


def test_command_that_is_a_combined_option(tmp_path):
    assert_same("-qc", "import sys; print(sys.argv)", "z", cwd=tmp_path)
    assert_same("-cprint('attached')", cwd=tmp_path)


def test_module(tmp_path):
    write(tmp_path / "mod.py", REPORT)
    assert_same("-m", "mod", "arg", "-c", cwd=tmp_path)


def test_module_in_a_package_with_relative_import(tmp_path):
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "other.py", "X = 'other'\n")
    write(tmp_path / "pkg" / "mod.py", "from . import other\nprint(other.X)\n" + REPORT)
    assert_same("-m", "pkg.mod", "1", cwd=tmp_path)


def test_package_runs_its_main(tmp_path):
    write(tmp_path / "pkg" / "__init__.py", "print('init', __name__)\n")
    write(tmp_path / "pkg" / "__main__.py", REPORT)
    assert_same("-m", "pkg", "arg", cwd=tmp_path)


def test_package_without_main(tmp_path):
    write(tmp_path / "pkg" / "__init__.py", "")
    out = assert_same("-m", "pkg", cwd=tmp_path)
    assert out.returncode == 1
    assert "cannot be directly executed" in out.stderr


def test_missing_module(tmp_path):
    out = assert_same("-m", "no_such_module_here", cwd=tmp_path)
    assert out.returncode == 1


def test_standard_library_module(tmp_path):
    assert_same("-m", "json.tool", input='{"b": [1, 2], "a": null}', cwd=tmp_path)
    assert_same("-m", "calendar", "2024", "2", cwd=tmp_path)


def test_module_raising(tmp_path):
    write(tmp_path / "mod.py", "def f():\n    raise ValueError('from module')\nf()\n")
    assert_same("-m", "mod", cwd=tmp_path)


def test_stdin_as_dash_with_arguments(tmp_path):
    assert_same("-", "a", "b", input=REPORT, cwd=tmp_path)


def test_piped_stdin_runs_as_a_script(tmp_path):
    # Not a terminal, no -i: the whole input is compiled first, then run.
    assert_same(input=REPORT, cwd=tmp_path)
    out = assert_same(input="print('never')\nx = = 1\n", cwd=tmp_path)
    assert out.returncode == 1 and "never" not in out.stdout
    assert_same(input="import sys\nprint(sys.stdin.read())\n", cwd=tmp_path)


def test_empty_stdin(tmp_path):
    assert_same(input="", cwd=tmp_path)


def test_directory_with_main(tmp_path):
    write(tmp_path / "app" / "__main__.py", "import helper\n" + REPORT)
    write(tmp_path / "app" / "helper.py", "")
    assert_same("app", "arg", cwd=tmp_path)


def test_directory_without_main(tmp_path):
    (tmp_path / "empty").mkdir()
    out = assert_same("empty", cwd=tmp_path)
    assert out.returncode == 1


def test_zip_file_with_main(tmp_path):
    archive = tmp_path / "app.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("__main__.py", "import helper\nprint(helper.WHERE)\n" + REPORT)
        zf.writestr("helper.py", "WHERE = 'inside the zip'\n")
    assert_same("app.zip", "arg", cwd=tmp_path)


def test_zip_file_with_a_shebang_prefix(tmp_path):
    # A runnable zip application: a #! line prepended to the archive.
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("__main__.py", "import sys\nprint('zipapp', sys.argv[1:])\n")
    app = tmp_path / "app.pyz"
    app.write_bytes(b"#!/usr/bin/env python3\n" + inner.read_bytes())
    assert_same("app.pyz", "q", cwd=tmp_path)


@pytest.mark.parametrize("name", ["no_such_script.py", "./no_such_script.py",
                                  "no_such_dir/", "../no_such_script.py"])
def test_missing_script(name, tmp_path):
    # (The path shown is joined to the working directory, not normalised.)
    out = assert_same(name, cwd=tmp_path)
    assert out.returncode == 2


def test_unreadable_script(tmp_path):
    script = write(tmp_path / "secret.py", "print(1)\n")
    script.chmod(0)
    if os.access(script, os.R_OK):  # root reads everything
        script.unlink()
        script.mkdir()  # a directory without __main__ is also unopenable as a program
    assert_same("secret.py", cwd=tmp_path)


def test_script_with_encoding_declaration(tmp_path):
    (tmp_path / "latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nprint(ascii('\xe9t\xe9'))\n")
    assert_same("latin.py", cwd=tmp_path)


def test_script_not_utf8_without_encoding_declaration(tmp_path):
    (tmp_path / "png.py").write_bytes(b"print('never')\n\n# \x89PNG\n")
    (tmp_path / "shebang.py").write_bytes(b"#!/bin/true\nx = '\xe9'\n")
    (tmp_path / "imported.py").write_bytes(b"import png\n")
    out = assert_same("png.py", cwd=tmp_path)
    assert out.returncode == 1 and "'\\x89'" in out.stderr and "on line 3" in out.stderr
    assert_same("shebang.py", cwd=tmp_path)
    assert_same("-x", "shebang.py", cwd=tmp_path)
    # An import compiles bytes, which CPython checks less: its behaviour is kept.
    assert_same("imported.py", cwd=tmp_path)


def test_script_with_null_bytes(tmp_path):
    """CPython's file tokenizer refuses a null byte at its line, with a message of its
    own, before any undecodable text after it; an import compiles bytes, which says
    otherwise."""
    (tmp_path / "null.py").write_bytes(b"x = 1\ny = 2\x00 + 3\nprint(x)\n")
    (tmp_path / "first.py").write_bytes(b"x = 1\ny\x00 = '\xe9'\n")
    (tmp_path / "later.py").write_bytes(b"x = '\xe9'\ny\x00\n")
    (tmp_path / "imports.py").write_bytes(b"import null\n")
    out = assert_same("null.py", cwd=tmp_path)
    assert "line 2" in out.stderr and "source code cannot contain null bytes" in out.stderr
    for name in ("first.py", "later.py", "imports.py"):
        assert_same(name, cwd=tmp_path)
    assert_same("-", input=(tmp_path / "null.py").read_text(), cwd=tmp_path)


def test_script_with_syntax_error(tmp_path):
    write(tmp_path / "bad.py", "print('before')\nif True\n    pass\n")
    out = assert_same("bad.py", cwd=tmp_path)
    assert out.returncode == 1


def test_main_module_sees_guest_world(tmp_path):
    program = ("import sys, __main__\n"
               "print(__main__.__dict__ is globals(), __builtins__.__name__ if hasattr("
               "__builtins__, '__name__') else type(__builtins__).__name__)\n"
               "print(type(__loader__).__name__, __cached__)\n")
    write(tmp_path / "prog.py", program)
    assert_same("prog.py", cwd=tmp_path)


def test_python_dash_m_gilless_is_the_same_command(tmp_path):
    write(tmp_path / "prog.py", REPORT)
    results = []
    for command in ([GILLESS_EXECUTABLE, "prog.py", "x"],
                    [HOST_PYTHON, "-m", "gilless", "prog.py", "x"]):
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
        results.append((done.stdout, done.stderr, done.returncode))
    assert results[0] == results[1]
    assert "argv ['prog.py', 'x']" in results[0][0]


def _compiled(tmp_path, source, name):
    """`source` compiled by the host into `name`: the same code gilless compiles."""
    import py_compile
    script = write(tmp_path / "source.py", source)
    py_compile.compile(str(script), cfile=str(tmp_path / name), doraise=True)
    script.unlink()
    return tmp_path / name


def test_compiled_script(tmp_path):
    program = REPORT + "print('loader', type(__loader__).__name__)\n1 / 0\n"
    _compiled(tmp_path, program, "prog.pyc")
    assert_same("prog.pyc", "a", cwd=tmp_path)


def test_compiled_script_with_another_name_is_told_by_its_magic(tmp_path):
    _compiled(tmp_path, REPORT, "prog")
    assert_same("prog", cwd=tmp_path)


def test_compiled_script_with_a_bad_magic_number(tmp_path):
    write(tmp_path / "bad.pyc", "not compiled\n")
    assert_same("bad.pyc", cwd=tmp_path)


def test_module_without_source(tmp_path):
    _compiled(tmp_path, REPORT + "raise ValueError('from the compiled module')\n", "mod.pyc")
    assert_same("-c", "import mod", cwd=tmp_path)


STACK = """\
import sys, traceback
frame = sys._getframe()
while frame is not None:
    print("frame", frame.f_code.co_filename.rsplit("/", 1)[-1], frame.f_code.co_name)
    frame = frame.f_back
traceback.print_stack(file=sys.stdout)
"""


def test_each_program_form_is_the_bottom_of_its_stack(tmp_path):
    # The main module's frame has no caller, and runpy's frames alone lie under a
    # module run with -m, as in CPython.
    write(tmp_path / "prog.py", STACK)
    write(tmp_path / "pkg" / "__init__.py", "")
    write(tmp_path / "pkg" / "__main__.py", STACK)
    for arguments, stdin in ((["prog.py"], None), (["-m", "prog"], None), (["-m", "pkg"], None),
                             (["-c", STACK], None), (["-"], STACK)):
        out = assert_same(*arguments, input=stdin, cwd=tmp_path)
        assert out.stdout.count("frame ") == (3 if "-m" in arguments else 1)
