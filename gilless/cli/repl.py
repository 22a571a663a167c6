"""The interactive prompt: CPython's REPL over the guest world.

Lines are read with the host's `input()` when the process's standard input
and output are the terminal, whatever the program made of `sys.stdin` and
`sys.stdout`, so GNU readline gives line editing and history once the guest
has imported `readline` (the guest's copy of the host module installs the
host's line-reading hook); otherwise, as CPython does, the prompt goes to
stderr and lines are read from the process's stdin (its descriptor, where the
program closed `sys.stdin`), as CPython's tokenizer reads them: a line ends at
LF or CR LF, and one that is not UTF-8 is a SyntaxError. What a signal's
handler raises as a line is read is reported, and the statement starts over.
Lines are joined until they form a complete statement (`codeop`'s test
decides, with the rules of CPython's interactive tokenizer on top: a first
line of only spaces or a comment is an empty statement, and an empty line
ends a statement outside brackets and strings, even a block with no
statement yet), then compiled in 'single' mode, so expression values go
through the guest's `sys.displayhook`, which also sets `_`. Ctrl-C cancels
the line being typed or interrupts the running statement; end of input at
the prompt leaves with status 0, and SystemExit with its own status.
"""

import io
import os
import sys as host_sys

from gilless.base.hostimports import host_module
from gilless.cli import uncaught
from gilless.cli.shutdown import flush_io
from gilless.compiler.options import FUTURE_FLAGS_MASK
from gilless.module import sysmodule
from gilless.objspace import tracebacks
from gilless.objspace.importing import quiet_warnings

COPYRIGHT = 'Type "help", "copyright", "credits" or "license" for more information.'


def banner(with_site=True):
    version = host_sys.version.replace("\n", " ")
    header = f"Python {version} on {host_sys.platform} (gilless)"
    return f"{header}\n{COPYRIGHT}" if with_site else header


def print_banner(space):
    # CPython names the help functions only when `site` has defined them.
    host_sys.stderr.write(banner(with_site=not space.config.no_site) + "\n")
    host_sys.stderr.flush()


def _on_terminal(stream, original):
    try:
        return stream is original and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _read_line(space, prompt):
    if space.gil is not None:
        # Waiting at the prompt must not stop the guest's other threads.
        return space.gil.call_released(_read_line_blocking, space, prompt)
    return _read_line_blocking(space, prompt)


def _read_line_blocking(space, prompt):
    namespace = vars(space.sys)
    stdin, stdout = host_sys.__stdin__, host_sys.__stdout__
    if _on_terminal(stdin, stdin) and _on_terminal(stdout, stdout):
        # CPython's REPL reads the terminal with readline whatever the program made of
        # sys.stdin and sys.stdout: the host's `input()` does where its own streams
        # are the terminal's.
        if namespace.get("stdin") is stdin and namespace.get("stdout") is stdout:
            return input(prompt)
        views = host_sys.stdin, host_sys.stdout
        host_sys.stdin, host_sys.stdout = stdin, stdout
        try:
            return input(prompt)
        finally:
            host_sys.stdin, host_sys.stdout = views
    # CPython's REPL reads the process's standard input and writes its prompts on the
    # process's error stream, whatever the program made of sys.stdin and sys.stderr.
    stderr = host_sys.__stderr__
    if stderr is not None:
        try:
            stderr.write(prompt)
            stderr.flush()
        except (OSError, ValueError):
            pass
    if stdin is not None and stdin.closed:
        # The program closed sys.stdin, which was the process's: CPython's REPL reads
        # the file descriptor beneath it, which stays open.
        stdin = _standard_input_reader()
    line = stdin.readline() if stdin is not None else ""
    if not line:
        raise EOFError
    # (CPython's tokenizer ends a line at "\r\n" too.)
    line = line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith("\n") else line
    _check_decoded(line, stdin)
    return line


def _check_decoded(line, stdin):
    """CPython's tokenizer's error for a line that is not UTF-8 (what the stream decoded
    with `surrogateescape` as lone surrogates): line 0 of `<stdin>`, at the byte."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        data = line.encode(getattr(stdin, "encoding", None) or "utf-8", "surrogateescape")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SyntaxError(f"(unicode error) {error}", ("<stdin>", 0, None, "")) from None


_reader = None


def _standard_input_reader():
    """A reader of file descriptor 0 of the REPL's own (None where it is closed)."""
    global _reader
    if _reader is None:
        try:
            _reader = open(0, encoding=host_sys.__stdin__.encoding,
                           errors=host_sys.__stdin__.errors, closefd=False)
        except (OSError, ValueError):
            return None
    return _reader


def _say(space, text):
    uncaught.write_sys_stderr(vars(space.sys), text)
    stderr = vars(space.sys).get("stderr")
    try:
        stderr.flush()
    except Exception:
        pass


def _prompt(space, name):
    """sys.ps1 or sys.ps2 as CPython's REPL reads it: its str(), or nothing when it is
    missing or that fails."""
    value = vars(space.sys).get(name)
    if value is None and name not in vars(space.sys):
        return ""
    try:
        return str(value)
    except Exception:
        return ""


def _prompts(space):
    return _prompt(space, "ps1"), _prompt(space, "ps2")


def _is_blank(line):
    # The tokenizer's whitespace: space, tab and form feed.
    rest = line.lstrip(" \t\f")
    return not rest or rest.startswith("#")


def _open_at_end(source):
    """Whether `source` ends inside brackets or a string, where an empty line goes on."""
    tokenize = host_module("tokenize")
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
    except tokenize.TokenError as error:
        # A backslash at the end goes on no more than an indented block does.
        return depth > 0 or "string" in str(error)
    except SyntaxError:
        pass
    return False


# codeop's flags: what the parser asks more lines for is an incomplete statement.
_INCOMPLETE_INPUT_ALLOWED = 0x200 | 0x4000   # PyCF_DONT_IMPLY_DEDENT, ALLOW_INCOMPLETE_INPUT
_ONLY_AST = 0x400


def _is_complete(source, future_flags):
    """codeop's `_maybe_compile`: None where `source` needs more lines. Parsed only, not
    compiled, and with the warnings C code raises dropped (not codeop's
    `catch_warnings`): the parser's warnings (`"\\d"` from 3.12) and the compiler's
    (`1 is 1`) are shown once, by the statement's own compilation, and the warnings'
    filters are left alone (changing them makes every module's registry forget the
    warnings it has shown, which CPython's REPL, whose tokenizer tells, never does).
    A SyntaxError here, or none, is a complete statement, which the compilation
    reports."""
    if all(not line.strip() or line.strip()[0] == "#" for line in source.split("\n")):
        source = "pass"
    flags = _INCOMPLETE_INPUT_ALLOWED | _ONLY_AST | future_flags
    with quiet_warnings():
        try:
            compile(source, "<stdin>", "single", flags, True)
        except SyntaxError:
            try:
                compile(source + "\n", "<stdin>", "single", flags, True)
                return None
            except SyntaxError as error:
                # (3.13 raises _IncompleteInputError, before it a SyntaxError that
                # says so.)
                if type(error).__name__ == "_IncompleteInputError" or \
                        "incomplete input" in str(error):
                    return None
    return True


def _read_statement(space, is_complete):
    """Read lines until they form a statement; return its source, or None at end of input.

    Each statement reads `sys.ps1` and `sys.ps2` once, both as it starts, as CPython's
    PyRun_InteractiveOneObject does (an empty first line is a statement of its own)."""
    lines = []
    prompt, more = _prompts(space)
    while True:
        try:
            line = _read_line(space, prompt)
        except EOFError:
            _say(space, "\n")
            if lines:
                # End of input completes the statement being typed, as in CPython.
                return "\n".join(lines)
            return None
        except KeyboardInterrupt:
            _say(space, "\nKeyboardInterrupt\n")
            lines = []
            prompt, more = _prompts(space)
            continue
        except Exception as error:
            # What a signal's handler raised as the line was read, or the tokenizer's
            # error for a line that is not UTF-8: reported as CPython's REPL reports
            # it (the handler's on a line of its own), and the statement starts over.
            if not isinstance(error, SyntaxError):
                _say(space, "\n")
            uncaught.report_uncaught(space, error)
            flush_io(space)
            lines = []
            prompt, more = _prompts(space)
            continue
        if not lines and _is_blank(line):
            # CPython's tokenizer lets a statement's first line through as an empty
            # statement when it holds only spaces or a comment: nothing runs.
            prompt, more = _prompts(space)
            continue
        lines.append(line)
        source = "\n".join(lines)
        if not line and not _open_at_end(source):
            # An empty line ends a statement, indented block or not, as in CPython's
            # interactive tokenizer (codeop would read on in a block still empty).
            return source
        try:
            if is_complete(source) is None:
                prompt = more
                continue
        except (SyntaxError, OverflowError, ValueError):
            # Compiled again below, by gilless, to report the error.
            pass
        return source


def interact(space, outcome, run_module):
    """Run the REPL until end of input; return the status SystemExit asked for, or None.

    `outcome.interrupted` tells, at the end, whether the last statement run ended in an
    uncaught KeyboardInterrupt. `run_module` runs a module as `__main__` (the new REPL
    is one: gilless.cli.run's)."""
    guest_sys = space.sys
    hook = getattr(guest_sys, "__interactivehook__", None)
    if hook is not None:
        try:
            hook()
        except SystemExit as exit_request:
            _say(space, "Failed calling sys.__interactivehook__\n")
            return uncaught.exit_status(space, exit_request)
        except BaseException as error:
            failure = error
        else:
            failure = None
        if failure is not None:
            _say(space, "Failed calling sys.__interactivehook__\n")
            uncaught.report_uncaught(space, failure)
    if wants_new_repl(space):
        return _new_repl(space, outcome, run_module)
    return base_repl(space, outcome)


def wants_new_repl(space):
    """CPython's choice from 3.13 (pymain_run_stdin, pymain_repl): its new REPL, the
    standard library's `_pyrepl`, when the process's standard input is a terminal
    and PYTHON_BASIC_REPL is not set. (`_pyrepl` itself falls back to the basic REPL,
    `sys._baserepl`, on a terminal it cannot drive.)"""
    if host_sys.version_info < (3, 13):
        return False
    try:
        if not os.isatty(0):
            return False
    except OSError:
        return False
    return (space.config.ignore_environment
            or not sysmodule.process_getenv("PYTHON_BASIC_REPL"))


def _new_repl(space, outcome, run_module):
    """`_pyrepl` run as CPython runs it, as the module `__main__` (runpy's
    `_run_module_as_main`, in the namespace of the `__main__` there is), whose
    console compiles and runs each statement with the guest's `compile` and `exec`.
    Its history is `site`'s: the interactive hook read the history file into
    `_pyrepl.readline` and writes it back at exit."""
    outcome.interrupted = False
    try:
        run_module(space, "_pyrepl", set_argv0=False)
    except SystemExit as exit_request:
        return uncaught.exit_status(space, exit_request)
    except BaseException as error:
        uncaught.report_uncaught(space, error)
        outcome.interrupted = isinstance(error, KeyboardInterrupt)
        return uncaught.EXIT_FAILURE
    return None


def base_repl(space, outcome):
    """CPython's basic REPL (PyRun_InteractiveLoop, and from 3.13 `sys._baserepl`) until
    end of input; the status SystemExit asked for, or None."""
    guest_sys = space.sys
    main = space.modules["__main__"]
    if not hasattr(guest_sys, "ps1"):
        guest_sys.ps1 = ">>> "
    if not hasattr(guest_sys, "ps2"):
        guest_sys.ps2 = "... "
    future_flags = 0
    while True:
        try:
            source = _read_statement(space, lambda text: _is_complete(text, future_flags))
        except SystemExit as exit_request:
            # (Raised by a signal's handler as a line was read.)
            return uncaught.exit_status(space, exit_request)
        if source is None:
            return None
        try:
            code = space.compile(source + "\n", "<stdin>", "single", future_flags)
            tracebacks.register_source(space, code, source + "\n", "<stdin>")
        except (SyntaxError, OverflowError, ValueError) as error:
            uncaught.report_uncaught(space, error)
            flush_io(space)
            continue
        future_flags |= code.co_flags & FUTURE_FLAGS_MASK
        outcome.interrupted = False
        raised = None
        try:
            space.exec_main(code, main.__dict__)
        except SystemExit as exit_request:
            return uncaught.exit_status(space, exit_request)
        except BaseException as error:
            raised = error
        if raised is not None:
            # Reported outside the handler: the hook sees no exception being handled.
            uncaught.report_uncaught(space, raised)
            outcome.interrupted = isinstance(raised, KeyboardInterrupt)
        # What the statement printed is written before the next prompt.
        flush_io(space)
