"""compile_source makes the code compile() makes, without compile()."""

import __future__
import subprocess
import sys

import pytest

from gilless.base.hostcompile import compile_source

SOURCES = [
    "pass\n",
    "x = 1\nprint(x)",
    "def f(a, /, b=2, *c, d, **e):\n    return [a for a in c if a]\nassert f\n",
    "from __future__ import annotations\ndef f(x: int) -> str: pass\n",
    '"docstring"\nclass C:\n    "doc"\n    async def m(self): yield await self\n',
    "é = 'ü'  # not ASCII\n",
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("optimize", [-1, 0, 1, 2])
def test_the_code_is_compiles(source, optimize):
    made = compile_source(source, "<string>", "exec", optimize=optimize)
    assert made == compile(source, "<string>", "exec", dont_inherit=True, optimize=optimize)
    assert made.co_filename == "<string>"


@pytest.mark.parametrize("mode, source", [("eval", "1 + x"), ("single", "x = 1\n")])
def test_each_mode(mode, source):
    assert compile_source(source, "f", mode) == compile(source, "f", mode, dont_inherit=True)


def test_future_flags():
    flags = __future__.annotations.compiler_flag | __future__.barry_as_FLUFL.compiler_flag
    source = "def f(x: int): return 1 <> 2\n"
    made = compile_source(source, "f", "exec", flags)
    assert made == compile(source, "f", "exec", flags, dont_inherit=True)
    assert made.co_flags & flags == flags


@pytest.mark.parametrize("source", ["1 +\n", "def f(:\n", "return\n", "\tif x:\n  pass\n",
                                    "x = 'unterminated\n", "(" * 300 + ")" * 300])
def test_errors_are_compiles(source):
    with pytest.raises(Exception) as expected:
        compile(source, "<string>", "exec", dont_inherit=True)
    with pytest.raises(type(expected.value)) as made:
        compile_source(source, "<string>", "exec")
    assert made.value.args == expected.value.args


@pytest.mark.parametrize("source, mode, flags", [
    ("x = '\udc80'", "exec", 0), ("x = 1\0", "exec", 0), ("pass", "exec", 0x400),
    ("pass", "exec", 0x2000), ("pass", "exec", 1 << 30), ("() -> int", "func_type", 0)])
def test_what_compile_looks_at_further_is_left_to_it(source, mode, flags):
    with pytest.raises(ValueError):
        compile_source(source, "<string>", mode, flags)


def test_a_start_up_calls_no_compile():
    """`gilless -c ...` compiles its command, and gilless its own snippets, without
    compile() (which the host's importlib calls for a module with no bytecode file)."""
    probe = ("import builtins, sys\n"
             "called = []\n"
             "host_compile = builtins.compile\n"
             "def compile(*args, **kwargs):\n"
             "    caller = sys._getframe(1).f_code.co_filename\n"
             "    if not caller.startswith('<frozen importlib._bootstrap'):\n"
             "        called.append((args[1], caller))\n"
             "    return host_compile(*args, **kwargs)\n"
             "builtins.compile = compile\n"
             "from gilless.cli.main import run_command_line\n"
             "run_command_line(['-c', 'import sys; print(sys.flags.optimize)'])\n"
             # (The host's sys.stdout stands for the guest's, None once it exits.)
             "print(called, file=sys.__stdout__)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "0\n[]\n", "")
