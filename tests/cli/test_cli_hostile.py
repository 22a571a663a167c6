"""What a program does to its own world must not break gilless's command line: hooks
the REPL and the exit call, set to raise, to None or deleted, give CPython's reports."""

from cliutil import assert_same


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
