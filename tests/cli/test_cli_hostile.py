"""What a program does to its own world must not break gilless's command line: hooks
the REPL and the exit call, set to raise, to None or deleted, give CPython's reports."""

import textwrap

from cliutil import assert_same


def test_raising_none_and_missing_displayhook_in_the_repl(tmp_path):
    program = tmp_path / "hook.py"
    program.write_text(textwrap.dedent("""\
        import sys

        def hook(value):
            raise RuntimeError(f"display failed for {value!r}")

        sys.displayhook = hook
    """))
    statements = ["1 + 1", "print('next')", "import sys", "sys.displayhook = None", "2 + 2",
                  "del sys.displayhook", "3 + 3", "print('end')"]
    assert_same("-i", str(program), input="\n".join(statements) + "\n", cwd=tmp_path)


def test_displayhook_deleted_by_a_command(tmp_path):
    assert_same("-i", "-c", "import sys; del sys.displayhook; del sys.excepthook",
                input="1\nraise ValueError('after')\n", cwd=tmp_path)
