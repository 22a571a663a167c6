"""The interactive prompt, through a pseudo-terminal and through pipes.

Through a terminal, each session is played under the host CPython and under
gilless, waiting for each prompt before typing on, and the two transcripts
must be the same except for the banner's first line, which names gilless.
"""

import os
import re
import select
import signal
import subprocess
import sys
import time

import pytest

from cliutil import GILLESS_EXECUTABLE, assert_same, both
from conftest import GILLESS, HOST_PYTHON
from ptyrepl import TerminalSession

BANNER = re.compile(r"^Python 3\.\d+\.\S+ .*\[.*\] on \w+( \(gilless\))?$", re.MULTILINE)
PROMPT = r">>> $"
MORE = r"\.\.\. $"


def clean_env(tmp_path, **extra):
    environment = dict(os.environ)
    for name in ("PYTHONSTARTUP", "PYTHONINSPECT"):
        environment.pop(name, None)
    # readline history goes to $HOME/.python_history: keep it out of the real home.
    # The basic REPL (CPython 3.13's new one has tests of its own), no colours.
    environment.update({"HOME": str(tmp_path), "TERM": "dumb", "PYTHON_BASIC_REPL": "1",
                        "PYTHON_COLORS": "0", **extra})
    return environment


def play(interpreter, options, steps, tmp_path, env=None):
    """Type each (text, pattern) step after the previous pattern has appeared; return
    (transcript, exit status)."""
    environment = env or clean_env(tmp_path)
    with TerminalSession([interpreter] + options, env=environment, cwd=tmp_path) as session:
        for text, pattern in steps:
            if text == "\x03":
                # readline waits in select() between keys; a SIGINT that lands just before
                # it re-enters select() is only seen at the next key (in CPython as well).
                time.sleep(0.3)
            if text is not None:
                session.send(text)
            if pattern is not None:
                session.expect(pattern)
        status = session.wait()
    return BANNER.sub("BANNER", session.output), status


def play_both(options, steps, tmp_path, env=None):
    expected = play(HOST_PYTHON, options, steps, tmp_path, env)
    actual = play(GILLESS_EXECUTABLE, options, steps, tmp_path, env)
    assert actual == expected
    return actual


def gilless_session(tmp_path, *options, env=None):
    return TerminalSession([GILLESS_EXECUTABLE, *options], env=env or clean_env(tmp_path),
                           cwd=tmp_path)


def test_expressions_blocks_and_underscore(tmp_path):
    steps = [
        (None, PROMPT),
        ("1 + 1\n", PROMPT),
        ("_ * 10\n", PROMPT),
        ("x = 'no display'\n", PROMPT),
        ("None\n", PROMPT),
        ("def double(n):\n", MORE),
        ("    return n * 2\n", MORE),
        ("\n", PROMPT),
        ("double(21)\n", PROMPT),
        ("for i in range(3):\n", MORE),
        ("    print(i, end='|')\n", MORE),
        ("\n", PROMPT),
        ("if True:\n", MORE),
        ("    'shown'\n", MORE),
        ("\n", PROMPT),
        ("_\n", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both([], steps, tmp_path)
    assert status == 0
    for shown in ("\n2\n", "\n20\n", "\n42\n", "0|1|2|", "'shown'\n>>> _\n'shown'\n"):
        assert shown in transcript
    assert "no display'\n>>>" in transcript


def test_banner_and_quiet(tmp_path):
    with gilless_session(tmp_path) as session:
        session.expect(PROMPT)
        session.send("\x04")
        assert session.wait() == 0
    version = sys.version.replace("\n", " ")
    assert session.output.startswith(
        f"Python {version} on {sys.platform} (gilless)\n"
        'Type "help", "copyright", "credits" or "license" for more information.\n>>> ')
    play_both(["-q"], [(None, PROMPT), ("\x04", None)], tmp_path)
    transcript, _ = play_both(["-S"], [(None, PROMPT), ("\x04", None)], tmp_path)
    assert transcript == "BANNER\n>>> \n"


def test_exception_is_printed_and_the_repl_goes_on(tmp_path):
    steps = [
        (None, PROMPT),
        ("1 / 0\n", PROMPT),
        ("def f():\n", MORE), ("    raise ValueError('inner')\n", MORE), ("\n", PROMPT),
        ("f()\n", PROMPT),
        ("x = = 2\n", PROMPT),
        ("undefined_name\n", PROMPT),
        ("import sys; sys.last_type.__name__\n", PROMPT),
        ("print('still here')\n", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert status == 0
    assert "ZeroDivisionError: division by zero" in transcript
    assert "ValueError: inner" in transcript and "still here" in transcript


def test_ctrl_c_cancels_the_line_being_typed(tmp_path):
    steps = [
        (None, PROMPT),
        ("this is not finished", r"finished"),
        ("\x03", PROMPT),
        ("for i in range(2):\n", MORE),
        ("    print(i)", r"print\(i\)"),
        ("\x03", PROMPT),
        ("1 + 2\n", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert status == 0
    assert transcript.count("KeyboardInterrupt") == 2 and "\n3\n" in transcript


def test_ctrl_c_interrupts_a_running_statement(tmp_path):
    steps = [
        (None, PROMPT),
        ("import time\n", PROMPT),
        ("print('sleeping'); time.sleep(30)\n", r"sleeping\n"),
        ("\x03", PROMPT),
        ("print('alive')\n", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert "KeyboardInterrupt" in transcript and "alive" in transcript
    assert status == 0


def test_leaving_right_after_an_interrupted_statement_dies_by_sigint(tmp_path):
    steps = [
        (None, PROMPT),
        ("import time; print('sleeping'); time.sleep(30)\n", r"sleeping\n"),
        ("\x03", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert status == -signal.SIGINT


@pytest.mark.parametrize("leave, status", [
    ("exit()\n", 0), ("exit(5)\n", 5), ("raise SystemExit(7)\n", 7), ("quit('bye')\n", 1),
    ("import sys; sys.exit()\n", 0),
])
def test_leaving_with_system_exit(leave, status, tmp_path):
    steps = [(None, PROMPT), (leave, None)]
    transcript, got = play_both(["-q"], steps, tmp_path)
    assert got == status


def test_line_editing_and_history(tmp_path):
    up, left = "\x1b[A", "\x1b[D"
    steps = [
        (None, PROMPT),
        ("40 + 2\n", PROMPT),
        (up + "\n", PROMPT),                  # the previous line again
        ("50 + 1" + left + left + "-" + "\n", PROMPT),  # edited in the middle: 50 -+ 1
        ("\x04", None),
    ]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert transcript.count("\n42\n") == 2
    assert "\n49\n" in transcript  # the "-" went in where the cursor was moved to
    # Under -S too, as CPython imports readline for the REPL itself.
    transcript, status = play_both(["-q", "-S"], steps, tmp_path)
    assert transcript.count("\n42\n") == 2


def test_prompts_follow_sys_ps1_and_ps2(tmp_path):
    steps = [
        (None, PROMPT),
        # (The prompts are not written out in the line: its echo, read in pieces, could
        # end with one and match before the prompt comes.)
        ("import sys; sys.ps1 = 'in' + '> '; sys.ps2 = 'more' + '> '\n", r"in> $"),
        ("if 1:\n", r"more> $"),
        ("    7\n", r"more> $"),
        ("\n", r"in> $"),
        ("\x04", None),
    ]
    play_both(["-q"], steps, tmp_path)


def test_inspect_after_a_script(tmp_path):
    (tmp_path / "prog.py").write_text("import sys\nvalue = 6 * 7\nprint('ran', sys.argv)\n")
    steps = [
        (None, PROMPT),
        ("value\n", PROMPT),
        ("__name__, '__file__' in globals()\n", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-i", "prog.py", "arg"], steps, tmp_path)
    assert status == 0
    assert "ran ['prog.py', 'arg']" in transcript and "\n42\n" in transcript
    assert "BANNER" not in transcript


def test_inspect_after_a_script_that_raised(tmp_path):
    (tmp_path / "prog.py").write_text("before = 'kept'\nraise ValueError('script failed')\n")
    steps = [
        (None, PROMPT),
        ("before\n", PROMPT),
        ("sys.last_value if 'sys' in dir() else type(__import__('sys').last_value)\n", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-i", "prog.py"], steps, tmp_path)
    assert "ValueError: script failed" in transcript and "'kept'" in transcript
    assert status == 0


def test_inspect_after_a_script_that_exited(tmp_path):
    (tmp_path / "prog.py").write_text("import sys\nsys.exit(3)\n")
    transcript, status = play_both(["-i", "prog.py"], [(None, PROMPT), ("\x04", None)],
                                   tmp_path)
    assert "SystemExit: 3" in transcript and status == 0


def test_inspect_after_command_and_module(tmp_path):
    (tmp_path / "mod.py").write_text("answer = 42\n")
    steps = [(None, PROMPT), ("answer\n", PROMPT), ("\x04", None)]
    play_both(["-i", "-c", "answer = 42"], steps, tmp_path)
    play_both(["-i", "-m", "mod"], steps, tmp_path)


def test_inspect_requested_by_the_program(tmp_path):
    steps = [(None, PROMPT), ("x\n", PROMPT), ("\x04", None)]
    transcript, status = play_both(
        ["-c", "import os; os.environ['PYTHONINSPECT'] = '1'; x = 'inspected'"], steps,
        tmp_path)
    assert "'inspected'" in transcript


def test_startup_file(tmp_path):
    (tmp_path / "startup.py").write_text("greeting = 'from startup'\nprint('startup ran')\n")
    steps = [(None, PROMPT), ("greeting\n", PROMPT), ("\x04", None)]
    environment = clean_env(tmp_path, PYTHONSTARTUP=str(tmp_path / "startup.py"))
    transcript, _ = play_both(["-q"], steps, tmp_path, env=environment)
    assert "startup ran" in transcript and "'from startup'" in transcript


def test_display_uses_sys_displayhook(tmp_path):
    steps = [
        (None, PROMPT),
        ("import sys; sys.displayhook = lambda v: print('hook saw', repr(v))\n", PROMPT),
        ("[1, 2]\n", PROMPT),
        ("\x04", None),
    ]
    transcript, _ = play_both(["-q"], steps, tmp_path)
    assert "hook saw [1, 2]" in transcript


# -- through pipes -------------------------------------------------------------

def normalized_banner(result):
    result.stderr = BANNER.sub("BANNER", result.stderr)
    return result


def assert_same_piped(*args, input, tmp_path, env=None):
    expected, actual = both(*args, input=input, cwd=tmp_path, env=env)
    expected, actual = normalized_banner(expected), normalized_banner(actual)
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)
    return actual


PIPED_SESSION = ("x = 20\nx + 1\n_ * 2\nfor i in range(2):\n    print(i)\n\n"
                 "1/0\nprint('after the error')\nif x:\n    'inside'\n")


@pytest.mark.parametrize("options", [["-i"], ["-i", "-q"], ["-i", "-"], ["-i", "-S"]])
def test_piped_input_with_inspect(options, tmp_path):
    out = assert_same_piped(*options, input=PIPED_SESSION, tmp_path=tmp_path)
    assert "21\n42\n0\n1\n" in out.stdout and ">>> " in out.stderr


def test_piped_input_with_inspect_after_programs(tmp_path):
    (tmp_path / "prog.py").write_text("x = 20\nraise RuntimeError('script')\n")
    assert_same_piped("-i", "prog.py", input="x + 1\n", tmp_path=tmp_path)
    assert_same_piped("-i", "-c", "import sys; sys.exit(4)", input="print('on')\n",
                      tmp_path=tmp_path)
    assert_same_piped("-i", "-c", "x = 1", input="raise SystemExit(6)\nprint('no')\n",
                      tmp_path=tmp_path)
    assert_same_piped("-i", "-c", "x = 1", input="raise KeyboardInterrupt\n",
                      tmp_path=tmp_path)
    assert_same_piped("-i", "-c", "pass", input="x = (\n1,\n2)\nx\n", tmp_path=tmp_path)
    assert_same_piped("-i", "-c", "import sys; sys.__interactivehook__ = lambda: 1/0",
                      input="1\n", tmp_path=tmp_path)
    assert_same_piped("-i", "-c", "import sys; sys.__interactivehook__ = lambda: exit(9)",
                      input="1\n", tmp_path=tmp_path)


def test_piped_input_with_startup_file(tmp_path):
    (tmp_path / "startup.py").write_text("s = 'startup'\n")
    environment = {"PYTHONSTARTUP": str(tmp_path / "startup.py")}
    assert_same_piped("-i", input="s\n", tmp_path=tmp_path, env=environment)
    assert_same_piped("-i", "-c", "pass", input="s\n", tmp_path=tmp_path, env=environment)
    assert_same_piped("-i", input="1\n", tmp_path=tmp_path,
                      env={"PYTHONSTARTUP": str(tmp_path / "missing.py")})
    # A directory opens, and reads as an empty file.
    assert_same_piped("-i", input="1\n", tmp_path=tmp_path,
                      env={"PYTHONSTARTUP": str(tmp_path)})


def test_piped_input_without_inspect_is_a_script(tmp_path):
    # The whole input is one program: no prompts, no display of values.
    out = assert_same(input="x = 1\nx + 1\nprint(x)\n", cwd=tmp_path)
    assert out.stdout == "1\n" and out.stderr == ""


def test_end_of_input_in_a_block_runs_it(tmp_path):
    steps = [
        (None, PROMPT),
        ("if True:\n", MORE),
        ("    print('block ran')\n", MORE),
        ("\x04", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert "block ran" in transcript and status == 0


BLANK_AND_COMMENT_LINES = (
    "\n# a comment\n   \n  # an indented comment\n\f\nx = 1  # after code\n\n"
    # A whitespace or comment line goes on with a block; an empty line ends it.
    "if x:\n    print('first')\n   \n    # between\n    print('second')\n\n"
    "def empty():\n    # only a comment\n\n"
    # An empty line inside brackets or a string goes on.
    "y = (\n\n2)\ns = '''a\n\nb'''\n(x, y, s)\n#\n")


def test_blank_and_comment_lines_do_nothing(tmp_path):
    out = assert_same_piped("-i", input=BLANK_AND_COMMENT_LINES, tmp_path=tmp_path)
    assert out.stdout == "first\nsecond\n(1, 2, 'a\\n\\nb')\n"
    assert out.stderr.count("SyntaxError") + out.stderr.count("IndentationError") == 1


def test_blank_and_comment_lines_at_the_terminal(tmp_path):
    steps = [(None, PROMPT), ("\n", PROMPT), ("# comment\n", PROMPT), ("    \n", PROMPT),
             ("40 + 2\n", PROMPT), ("\x04", None)]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert "42" in transcript and "Error" not in transcript and status == 0


NEW_REPL = pytest.mark.skipif(sys.version_info < (3, 13), reason="CPython's REPL from 3.13")
# The new REPL's prompt, once it reads keys (its cursor shown again); the up key as it
# reads it (the terminal in application cursor mode).
NEW_PROMPT = r">>> \x1b\[\?12l\x1b\[\?25h"
UP = "\x1bOA"


def new_repl_env(tmp_path, term="xterm", history=None):
    environment = clean_env(tmp_path, TERM=term)
    del environment["PYTHON_BASIC_REPL"]
    if history is not None:
        (tmp_path / ".python_history").write_text(history)
    return environment


@NEW_REPL
def test_the_new_repl_is_cpythons(tmp_path):
    """At a terminal, 3.13's REPL is the standard library's `_pyrepl`, run as CPython runs
    it: the same screen, byte for byte, and the statements run in `__main__`."""
    steps = [(None, NEW_PROMPT), ("40 + 2\r", r"42\n"), (None, NEW_PROMPT),
             ("def f(): return __name__\r\r", NEW_PROMPT),
             ("f()\r", r"'__main__'\n"), (None, NEW_PROMPT),
             ("1 / 0\r", r"ZeroDivisionError.*\n"), (None, NEW_PROMPT), ("\x04", None)]
    transcript, status = play_both(["-q"], steps, tmp_path, new_repl_env(tmp_path))
    assert status == 0 and "\x1b[" in transcript  # (the new REPL draws its screen)


@NEW_REPL
def test_the_new_repl_reads_and_writes_the_history_file(tmp_path):
    # The line typed in an earlier session, from the file: up recalls it.
    steps = [(None, NEW_PROMPT), (UP + "\r", NEW_PROMPT), ("kept + 1\r", r"42\n"),
             (None, NEW_PROMPT), ("\x04", None)]
    histories = []
    for interpreter in (HOST_PYTHON, GILLESS_EXECUTABLE):
        play(interpreter, ["-q"], steps, tmp_path, new_repl_env(tmp_path, history="kept = 41\n"))
        histories.append((tmp_path / ".python_history").read_text())
    assert histories[1] == histories[0] == "kept = 41\nkept = 41\nkept + 1\n"


@NEW_REPL
def test_a_terminal_the_new_repl_cannot_drive_gets_the_basic_one(tmp_path):
    # `_pyrepl` says why and falls back to sys._baserepl, gilless's basic REPL.
    steps = [(None, PROMPT), ("40 + 2\n", PROMPT), ("exit(3)\n", None)]
    transcript, status = play_both(["-q"], steps, tmp_path, new_repl_env(tmp_path, term="dumb"))
    assert "can't use pyrepl" in transcript and "42" in transcript and status == 3


@NEW_REPL
def test_the_new_repl_after_a_script_keeps_its_names(tmp_path):
    (tmp_path / "script.py").write_text("value = 6 * 7\n")
    steps = [(None, NEW_PROMPT), ("value\r", r"42\n"), (None, NEW_PROMPT), ("\x04", None)]
    play_both(["-q", "-i", "script.py"], steps, tmp_path, new_repl_env(tmp_path))


def _output_until(process, text, seconds=30):
    """What the process writes until `text` has come, or the time is up."""
    output, deadline = b"", time.monotonic() + seconds
    while text not in output:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        output += os.read(process.stdout.fileno(), 4096)
    return output


@pytest.mark.parametrize("interpreter", ["cpython", "gilless"])
def test_through_pipes_a_statements_output_comes_before_the_next_prompt(interpreter, tmp_path):
    """What a statement printed is flushed once it has run (and once its error has
    been reported), as CPython's flush_io does, so that a program driving the REPL
    through pipes reads it before the REPL waits for the next line."""
    command = [HOST_PYTHON, "-qi"] if interpreter == "cpython" else GILLESS + ["-qi"]
    # (Buffered, whatever the environment of the tests says: an empty value is no value.)
    environment = clean_env(tmp_path, PYTHONUNBUFFERED="")
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=environment, cwd=tmp_path)
    try:
        process.stdin.write(b"print('first')\n")
        process.stdin.flush()
        assert b">>> first\n" in _output_until(process, b"first\n")
        process.stdin.write(b"print('second'); 1 / 0\n")
        process.stdin.flush()
        output = _output_until(process, b"second\n")
        assert b"ZeroDivisionError" in output and b"second\n" in output
    finally:
        process.kill()
        process.wait()


def test_line_editing_after_the_program_replaced_its_streams(tmp_path):
    # CPython's REPL reads the terminal with readline whatever sys.stdin and
    # sys.stdout are: the lines typed after the replacement are edited and recalled.
    up = "\x1b[A"
    steps = [
        (None, PROMPT),
        ("import io, sys; sys.stdout = io.StringIO()\n", PROMPT),
        ("x = 40\n", PROMPT),
        (up + "\n", PROMPT),                  # the previous line again
        ("sys.__stdout__.write(str(x + 2) + chr(10))\n", PROMPT),
        ("\x04", None),
    ]
    transcript, status = play_both(["-q"], steps, tmp_path)
    assert "\n42\n" in transcript and "SyntaxError" not in transcript
    assert status == 0


def piped_after(first, ready, wait, then, options, interpreter, tmp_path):
    """Run the REPL on a pipe that gives `first`; once its output ends with `ready`,
    wait `wait` seconds and give `then`."""
    environment = clean_env(tmp_path)
    environment.pop("PYTHONUNBUFFERED", None)
    process = subprocess.Popen([interpreter, *options], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path,
                               env=environment)
    process.stdin.write(first.encode())
    process.stdin.flush()
    # Start-up may take seconds on a loaded machine: the wait counts from the prompt.
    seen, deadline = b"", time.monotonic() + 60
    while not seen.endswith(ready.encode()) and time.monotonic() < deadline:
        if select.select([process.stdout], [], [], 1)[0]:
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    time.sleep(wait)
    output, _ = process.communicate(then.encode(), timeout=60)
    return (seen + output).decode(), process.returncode


def test_an_exception_a_signal_handler_raises_at_the_prompt(tmp_path):
    # Reported as CPython reports it, and the REPL goes on.
    # (The timer goes off well after the statement has run and the REPL waits again,
    # also on a loaded machine: a handler's exception while the REPL flushes the
    # streams after a statement is dropped, in CPython as well.)
    first = ("import signal\ndef handler(*args): raise TimeoutError('alarm')\n\n"
             "_ = signal.signal(signal.SIGALRM, handler); _ = signal.setitimer("
             "signal.ITIMER_REAL, 1.0)\n")
    waiting = ">>> >>> ... >>> >>> "    # the REPL has run the last statement
    results = [piped_after(first, waiting, 2.5, "'goes on'\n", ["-qi"], interpreter,
                           tmp_path)
               for interpreter in (HOST_PYTHON, GILLESS_EXECUTABLE)]
    assert results[1] == results[0]
    assert "TimeoutError: alarm" in results[0][0] and "'goes on'" in results[0][0]


def test_a_closed_standard_input(tmp_path):
    # The program closing sys.stdin ends no REPL with an internal error.
    out = subprocess.run([GILLESS_EXECUTABLE, "-qi"], input="import sys\nsys.stdin.close()\n",
                         capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env=clean_env(tmp_path))
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    # No standard input at all is an empty program, as in CPython.
    expected, actual = (subprocess.run([interpreter, "-q"], capture_output=True, text=True,
                                       cwd=tmp_path, timeout=60, env=clean_env(tmp_path),
                                       preexec_fn=lambda: os.close(0))
                        for interpreter in (HOST_PYTHON, GILLESS_EXECUTABLE))
    assert (actual.returncode, actual.stdout, actual.stderr) == \
        (expected.returncode, expected.stdout, expected.stderr)


def test_last_exc_where_the_host_has_it(tmp_path):
    assert_same_piped("-qi", input="1/0\nimport sys\nhasattr(sys, 'last_exc')\n",
                      tmp_path=tmp_path)


@pytest.mark.parametrize("data", [
    b"if 1:\r\n  2\r\n\r\n3\r\n",                  # lines that end in CR LF
    b'x = "\xff\xfe"\n# \xff a comment\n1\n',    # lines that are not UTF-8
])
def test_piped_bytes_the_tokenizer_reads(data, tmp_path):
    expected, actual = (subprocess.run([interpreter, "-qi"], input=data, capture_output=True,
                                       cwd=tmp_path, timeout=60, env=clean_env(tmp_path))
                        for interpreter in (HOST_PYTHON, GILLESS_EXECUTABLE))
    assert (actual.returncode, actual.stdout, actual.stderr) == \
        (expected.returncode, expected.stdout, expected.stderr)


def test_warnings_at_the_prompt_shown_once(tmp_path):
    # A compiler's or the parser's warning is shown once, and a warning shown once per
    # place is not shown again (checking whether a statement is complete changes no
    # filter, which would make every module's registry forget what it showed).
    session = ('1 is 1\nimport warnings\nwarnings.warn("w1")\nwarnings.warn("w1")\n'
               'if 1:\n  x = 1\n\nx\n'
               # (From 3.12 the parser warns of an invalid escape.)
               'warnings.simplefilter("always")\n"\\d"\n')
    expected, actual = both("-qi", input=session, cwd=tmp_path,
                            env={"PYTHONUNBUFFERED": ""})
    # (From 3.13 CPython names each statement `<stdin>-N`; gilless `<stdin>`: docs/hosts.md.)
    numbered = re.compile(r"<stdin>-\d+")
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, numbered.sub("<stdin>", expected.stderr), expected.returncode)
    assert actual.stderr.count("literal") == 1 and actual.stderr.count("w1") == 1
    assert actual.stderr.count("invalid escape sequence") == 1


def test_prompts_are_read_once_per_statement(tmp_path):
    # CPython reads str() of sys.ps1 and sys.ps2 once each as a statement starts.
    (tmp_path / "prompts.py").write_text(
        "import sys\n"
        "class Prompt:\n"
        "    def __init__(self, text):\n"
        "        self.text, self.reads = text, 0\n"
        "    def __str__(self):\n"
        "        self.reads += 1\n"
        "        return self.text\n"
        "sys.ps1, sys.ps2 = Prompt('>>> '), Prompt('... ')\n")
    session = "if 1:\n  x = 1\n  y = 2\n\n\n# c\nimport sys\n(sys.ps1.reads, sys.ps2.reads)\n"
    out = assert_same_piped("-qi", input=session, tmp_path=tmp_path,
                            env={"PYTHONSTARTUP": "prompts.py"})
    assert "(5, 5)" in out.stdout
