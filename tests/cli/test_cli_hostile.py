"""What a program does to its own world must not break gilless's command line: hooks
the REPL and the exit call, set to raise, to None or deleted, give CPython's reports."""

import re

import pytest

from cliutil import assert_same, both


def test_raising_none_and_missing_displayhook_in_the_repl(tmp_path):
    # Typed at the prompt rather than run from a file: CPython 3.13 quotes the -i file's
    # lines for <stdin> in tracebacks.
    statements = ["import sys",
                  "def hook(value): raise RuntimeError(f'display failed for {value!r}')",
                  "", "sys.displayhook = hook", "1 + 1", "print('next')",
                  "sys.displayhook = None", "2 + 2", "del sys.displayhook", "3 + 3",
                  "print('end')"]
    assert_same("-i", "-c", "pass", input="\n".join(statements) + "\n", cwd=tmp_path)


def test_displayhook_and_excepthook_deleted_by_a_command(tmp_path):
    assert_same("-i", "-c", "import sys; del sys.displayhook; del sys.excepthook",
                input="1\nraise ValueError('after')\n", cwd=tmp_path)


@pytest.mark.parametrize("statements", [
    ["import sys", "del sys.stderr", "1", "print('x')"],
    ["import sys", "sys.stderr = object()", "1", "print('y')"],
    ["import sys, io", "sys.stderr = io.StringIO()", "1", "raise ValueError"],
    ["import sys", "del sys.stdout", "1", "print(2)"],
    ["import sys", "sys.stdout = None", "1", "print(2)"],
    ["import sys", "sys.stdin = None", "1"],
    ["import sys", "del sys.stdin", "1"],
    ["import sys, io", "sys.stdin = io.StringIO('2\\n')", "1"],
    ["import sys", "sys.ps1 = None", "1"],
    ["import sys", "del sys.ps1", "del sys.ps2", "if 1:", "  1", "", "2"],
    ["import sys", "class Prompt:", "  def __str__(self): raise ValueError", "",
     "sys.ps1 = sys.ps2 = Prompt()", "if 1:", "  1", "", "2"],
    ["import builtins", "builtins.str = None", "del builtins.repr", "1"],
], ids=lambda statements: "; ".join(statements[1:3]))
def test_repl_reads_and_prompts_whatever_the_program_did(statements, tmp_path):
    """CPython's REPL reads the process's stdin and prompts on its stderr, with sys.ps1
    and sys.ps2 as their str() (nothing when missing or failing)."""
    assert_same("-i", "-c", "pass", input="\n".join(statements) + "\n", cwd=tmp_path)


@pytest.mark.parametrize("program", [
    "import sys; del sys.stderr; raise ValueError('v')",
    "import sys; del sys.stderr; sys.excepthook(ValueError, ValueError('w'), None)",
    "import sys; sys.stderr = None; raise ValueError('v')",
])
def test_uncaught_error_with_stderr_missing_or_none(program, tmp_path):
    # The default excepthook dumps the error on the process's error stream ("lost
    # sys.stderr") where sys.stderr is missing, and writes nothing where it is None.
    expected, actual = both("-c", program, cwd=tmp_path)

    def without_numbers(text):
        return re.sub(r"(object (address|refcount|type) *: ).*", r"\1...", text)

    assert without_numbers(actual.stderr) == without_numbers(expected.stderr)
    assert (actual.stdout, actual.returncode) == (expected.stdout, expected.returncode)
