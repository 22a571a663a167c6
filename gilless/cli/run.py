"""Running the program the command line names, then shutting the guest world down.

This follows CPython's Py_RunMain step by step, because programs observe
its order: `site` is imported first, then the program's directory goes to
the front of `sys.path` (so `site` never sees it), then the banner, the
script, command, module or standard input runs as `__main__`, then `-i`
(or PYTHONINSPECT set by the program) enters the REPL, whose outcome
replaces the program's. An uncaught exception is reported through the
guest's `sys.excepthook`; SystemExit becomes the exit status, except under
`-i` where it is reported like any error so that the program can be
inspected. Last, non-daemon guest threads are joined and the standard
streams flushed.
"""

import os
import sys as host_sys

from gilless.base import hoststack, startimage
from gilless.base.hostimports import host_module
from gilless.cli.shutdown import finish, flush_io
from gilless.cli.uncaught import EXIT_FAILURE, exit_status, report_uncaught
from gilless.module import hostmodules, syshostview, sysmodule, systrace
from gilless.objspace import tracebacks


class Outcome:
    """The exit status so far, and whether the last guest code run ended in an uncaught
    KeyboardInterrupt (then the process dies by SIGINT, as CPython's does)."""

    def __init__(self):
        self.status = 0
        self.interrupted = False


def run_program(space, invocation):
    outcome = Outcome()
    config = space.config
    space.repl = lambda: _base_repl_for_guest(space, outcome)
    space.add_main_module()
    guarded(space, outcome, space.run_site)
    hostmodules.end_of_start_up()
    if config.use_code_cache:
        # The start-up is over: the next one finds the gilless modules it imported here.
        startimage.save()
    if outcome.status:
        return finish(space, outcome)
    if invocation.path0 is not None:
        space.sys.path.insert(0, invocation.path0)
    syshostview.show_sys_path_0(invocation.path0)
    stdin_interactive = config.interactive or _stdin_is_a_terminal()
    if invocation.runs_code:
        if config.verbose and not config.quiet:
            _print_banner(space)
        if config.inspect and stdin_interactive:
            _import_readline(space)
        status = _run_by_tool(space, invocation)
        if status is not None:
            return status
        _run_main_program(space, invocation, outcome)
        if not config.inspect and systrace.call_untraced(_environment_asks_inspect, space):
            config.inspect = True
        if config.inspect and stdin_interactive:
            _run_repl(space, outcome, startup=False)
    elif stdin_interactive:
        if not config.quiet:
            _print_banner(space)
        _import_readline(space)
        _run_repl(space, outcome, startup=True)
    else:
        status = _run_by_tool(space, invocation)
        if status is not None:
            return status
        guarded(space, outcome, run_stdin, space)
    return finish(space, outcome)


def _run_by_tool(space, invocation):
    """The exit status where the tool runs the program in processes of its own (the
    schedule explorer); else None, and the program runs here."""
    if space.tool is not None and hasattr(space.tool, "before_main"):
        return space.tool.before_main(space, invocation)
    return None


def _print_banner(space):
    # The REPL's module is imported only when needed: its host modules (codeop, warnings)
    # would cost every start-up time.
    from gilless.cli import repl
    repl.print_banner(space)


def _run_main_program(space, invocation, outcome):
    if invocation.command is not None:
        guarded(space, outcome, run_command, space, invocation.command)
    elif invocation.module is not None:
        guarded(space, outcome, run_module, space, invocation.module)
    else:
        guarded(space, outcome, run_path, space, invocation.filename,
                invocation.skip_first_line)


def _run_repl(space, outcome, startup):
    # SystemExit leaves the REPL even when -i kept it from ending the program.
    space.config.inspect = False
    if "__main__" not in space.modules:
        space.main_module()
    if startup:
        status = run_startup_file(space)
        if status is not None:
            outcome.status = status
            return
    from gilless.cli import repl
    status = repl.interact(space, outcome, run_module)
    outcome.status = 0 if status is None else status


def _base_repl_for_guest(space, outcome):
    """The guest's `sys._baserepl()`: the basic REPL; SystemExit in it ends the
    program, as it ends CPython's process."""
    from gilless.cli import repl
    status = repl.base_repl(space, outcome)
    if status is not None:
        raise SystemExit(status)


def _environment_asks_inspect(space):
    # Read at the end, so that the program itself may set it, in the guest's os.environ.
    if space.config.ignore_environment:
        return False
    return bool(sysmodule.process_getenv("PYTHONINSPECT"))


def _stdin_is_a_terminal():
    # The process's standard input, as CPython asks C's stdin, whatever sys.stdin is.
    try:
        return os.isatty(0)
    except OSError:
        return False


def _import_readline(space):
    """Line editing and history for the REPL, as CPython sets them up even under -S."""
    if space.config.isolated or not _stdin_is_a_terminal():
        return
    try:
        space.import_module("readline")
    except BaseException:
        pass


def guarded(space, outcome, function, *args):
    """Run guest code; an uncaught exception becomes the exit status, as in CPython."""
    outcome.interrupted = False
    uncaught = None
    try:
        function(*args)
    except SystemExit as exit_request:
        if not space.config.inspect:
            outcome.status = exit_status(space, exit_request)
            return
        # -i: the program is inspected rather than left.
        uncaught = exit_request
        outcome.status = EXIT_FAILURE
    except BaseException as error:
        uncaught = error
        outcome.interrupted = isinstance(error, KeyboardInterrupt)
        outcome.status = EXIT_FAILURE
    if uncaught is not None:
        # Reported outside the handler: the hook sees no exception being handled.
        report_uncaught(space, uncaught)


def _run_as_file(space, main, code, file_attribute):
    """CPython's PyRun_SimpleFile: `__file__` and `__cached__` are set while the code runs
    (unless the program has them already) and removed afterwards; the standard
    streams are flushed as it ends."""
    namespace = main.__dict__
    set_file = "__file__" not in namespace
    if set_file:
        namespace["__file__"] = file_attribute
        namespace["__cached__"] = None
    try:
        space.exec_main(code, namespace)
    finally:
        # CPython's flush_io: what the program printed is written before its error is.
        flush_io(space)
        if set_file:
            namespace.pop("__file__", None)
            namespace.pop("__cached__", None)


def run_path(space, filename, skip_first_line=False):
    if os.path.isdir(filename) or is_zipfile(filename):
        run_module(space, "__main__", set_argv0=False)
        return
    main = space.main_module()
    # Joined to the working directory as CPython's _Py_abspath joins it, unnormalised
    # ('/w/dir/', '/w/./x.py'): through a symbolic link, 'link/../x.py' names another
    # file than its normalised form does.
    path = filename if os.path.isabs(filename) else os.path.join(os.getcwd(), filename)
    try:
        with open(filename, "rb") as f:
            source = f.read()
    except OSError as error:
        host_sys.stderr.write(f"{space.sys.executable}: can't open file {path!r}: "
                              f"[Errno {error.errno}] {error.strerror}\n")
        raise SystemExit(2)
    if skip_first_line:
        # The newline stays, so line numbers still count the skipped line.
        newline = source.find(b"\n")
        source = source[newline:] if newline >= 0 else b""
    external = space.modules["_frozen_importlib_external"]
    if _is_pyc(filename, source, external.MAGIC_NUMBER):
        main.__loader__ = external.SourcelessFileLoader("__main__", path)
        _run_as_file(space, main, _pyc_code(source, external.MAGIC_NUMBER), path)
        return
    check_as_file_tokenizer(source, path)
    main.__loader__ = space.source_loader_class("__main__", path)
    _run_as_file(space, main, _compile_file(space, source, path), path)


def _is_pyc(filename, data, magic):
    """CPython's maybe_pyc_file: a `.pyc` name, or a file that starts with half the magic
    number (the rest may have been a text-mode file's line ending)."""
    return filename.endswith(".pyc") or data[:2] == magic[:2]


def _pyc_code(data, magic):
    """The code of a compiled file, run as CPython's run_pyc_file runs it. Its code is
    the host's as it was compiled, whatever gilless's mode (there is no source to
    compile again): the same as a compile in the default mode."""
    import marshal
    if data[:4] != magic:
        raise RuntimeError("Bad magic number in .pyc file")
    try:
        return marshal.loads(data[16:])
    except (EOFError, ValueError, TypeError):
        raise RuntimeError("Bad code object in .pyc file") from None


def _compile_file(space, source, path):
    return space.code_cache.compile_module(source, path, space.compile_options, main=True)


# PEP 263's declaration, on one of the first two lines.
_CODING_DECLARATION = rb"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+"


def check_as_file_tokenizer(source, path):
    """What CPython's tokenizer of a file (a script, standard input) refuses with a
    message of its own, where compile() of the text, which gilless runs, says
    otherwise: a null byte ("source code cannot contain null bytes" at its line,
    where compile() says "source code string", with no place) and undeclared
    non-UTF-8 text, whichever comes first."""
    null = source.find(b"\0")
    if null < 0:
        check_undeclared_encoding(source, path)
        return
    check_undeclared_encoding(source[:null], path)
    line_start = source.rfind(b"\n", 0, null) + 1
    line = source.count(b"\n", 0, null) + 1
    text = source[line_start:null].decode("utf-8", "replace")
    raise SyntaxError("source code cannot contain null bytes", (path, line, 0, text, line, 0))


def check_undeclared_encoding(source, path):
    """CPython's file tokenizer refuses a script that is not UTF-8 and declares no
    encoding (with a message that compile() of bytes, used for imports, does not
    give). A declared encoding or a BOM is left to the compiler."""
    try:
        source.decode("utf-8")
        return
    except UnicodeDecodeError as error:
        start = error.start
    if source.startswith(b"\xef\xbb\xbf"):
        return
    first_two_lines = b"\n".join(source.split(b"\n", 2)[:2])
    re = host_module("re")
    if re.search(_CODING_DECLARATION, first_two_lines, re.MULTILINE):
        return
    line = source.count(b"\n", 0, start) + 1
    raise SyntaxError(f"Non-UTF-8 code starting with '\\x{source[start]:02x}' in file {path} "
                      f"on line {line}, but no encoding declared; "
                      "see https://peps.python.org/pep-0263/ for details")


def is_zipfile(path):
    """True for a zip archive, also one with a prefix such as a #! line (a zipapp)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            # The end-of-central-directory record is within the last 64 KiB + 22 bytes.
            f.seek(max(0, size - 65557))
            tail = f.read()
    except OSError:
        return False
    record = tail.rfind(b"PK\x05\x06")
    if record < 0 or len(tail) < record + 22:
        return False
    # A real record is followed by exactly its comment, up to the end of the file.
    comment_length = int.from_bytes(tail[record + 20:record + 22], "little")
    return record + 22 + comment_length == len(tail)


def run_command(space, command):
    main = space.main_module()
    code = space.compile(command + "\n", "<string>")
    tracebacks.register_source(space, code, command + "\n", "<string>")
    space.exec_main(code, main.__dict__)


def run_stdin(space):
    main = space.main_module()
    # The process's standard input, as CPython reads it, whatever `site` made of
    # sys.stdin; none (its descriptor closed) is an empty program.
    stdin = host_sys.__stdin__
    if stdin is None:
        source = b""
    else:
        source = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
    if isinstance(source, bytes):
        check_as_file_tokenizer(source, "<stdin>")
    _run_as_file(space, main, space.compile(source, "<stdin>"), "<stdin>")


def run_module(space, name, set_argv0=True):
    """Run module `name` as `__main__` (runpy's `_run_module_as_main`), in the
    namespace of the `__main__` module there is."""
    space.main_module()
    runpy = space.import_module("runpy")
    # runpy's frames are the bottom of the stack, as in CPython.
    hoststack.call_at_bottom(runpy._run_module_as_main, name, set_argv0)


def run_startup_file(space):
    """PYTHONSTARTUP: run in `__main__` before the first prompt; its errors are only shown.
    Returns the exit status if it raised SystemExit, else None."""
    config = space.config
    path = None if config.ignore_environment else os.environ.get("PYTHONSTARTUP")
    if not path:
        return
    try:
        with open(path, "rb") as f:
            source = f.read()
    except IsADirectoryError:
        # CPython opens a directory, then reads it as an empty file: nothing runs.
        return
    except OSError as error:
        host_sys.stderr.write("Could not open PYTHONSTARTUP\n")
        report_uncaught(space, type(error)(error.errno, error.strerror, path))
        return
    main = space.modules["__main__"]
    try:
        _run_as_file(space, main, _compile_file(space, source, path), path)
    except SystemExit as exit_request:
        return exit_status(space, exit_request)
    except BaseException as error:
        report_uncaught(space, error)
    return None
