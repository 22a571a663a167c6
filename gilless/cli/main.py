"""The `gilless` command: set up a guest world from the command line and run the program.

gilless runs inside a host interpreter that reads the same PYTHON*
environment variables as the guest, at start-up and again when it exits.
The command line and environment are the guest's, so the host is kept out
of them: the standard streams are rebuilt for the guest's buffering choice
(-u, PYTHONUNBUFFERED, -E), and PYTHONINSPECT, which would make the host
start its own REPL after the guest's, is withdrawn before control returns
to the host.

gilless has no binary of its own: its executable is a launcher, the
`gilless` script installed with it (`bin/gilless` in the source tree),
run by the host interpreter that its first line names (the installer
writes it). CPython's `venv` copies or links its binary into the new
environment's `bin/`, and the guest's `venv` does the same with the
launcher (sys._base_executable), unchanged: the environment's
`bin/gilless`, `bin/python` and `bin/python3` are links to it (copies under
`--copies`). A script started through a link receives the link's path as
argv[0], so `launch` makes that path the guest's sys.executable, and the
guest's `site` finds the environment's pyvenv.cfg beside it and sets
sys.prefix and the site-packages from it, exactly as CPython's does. The
scripts pip installs in the environment name `bin/python` on their first
line: a script run by a script, which Linux follows. The alternatives were
a gilless-specific `venv` that writes shell scripts passing the environment
on the command line or in the environment variables (which child processes
inherit), or a compiled launcher that reads pyvenv.cfg as GraalPy's does
(a C compiler at install time); both would replace the standard library's
`venv`, which works unchanged with a link.
"""

import gc
import io
import os
import sys as host_sys

import gilless
from gilless.cli import options

EXIT_USAGE = 2
# CPython's exit status after a fatal error in its configuration.
EXIT_FATAL = 1


def main(argv=None):
    status = run_command_line(host_sys.argv[1:] if argv is None else argv,
                              own_process=argv is None)
    return leave_host(status)


def launch():
    """The `gilless` command, and every link or copy of it (a virtual environment's
    `bin/python`): a script run by the host interpreter, whose path is the host's
    argv[0]. That path is the guest's sys.executable, so the guest's `site` finds the
    environment's pyvenv.cfg beside it, as CPython's does beside its binary."""
    launcher = host_sys.argv[0]
    status = run_command_line(host_sys.argv[1:], launcher=launcher, own_process=True)
    return leave_host(status)


def run_command_line(argv, launcher=None, own_process=False):
    try:
        invocation = options.parse(argv, launcher=launcher)
    except options.UsageError as error:
        host_sys.stderr.write(f"{error}\n{options.USAGE}\n"
                              f"Try `{options.PROGRAM} -h' for more information.\n")
        return EXIT_USAGE
    except options.FatalError as error:
        host_sys.stderr.write(error.text)
        return EXIT_FATAL
    if invocation.show_help:
        host_sys.stdout.write(invocation.show_help)
        return 0
    if invocation.show_version:
        host_sys.stdout.write(version_text(invocation.show_version) + "\n")
        return 0
    invocation.path0 = program_directory(invocation)
    config = invocation.config
    from gilless.cli import processoptions
    if own_process:
        restart = processoptions.restart_options(config)
        fixed_hashes = bool(config.schedule) and host_sys.flags.hash_randomization
        if fixed_hashes:
            # A schedule must replay with the same hashes: the order of a set of
            # strings decides what a program does.
            os.environ["PYTHONHASHSEED"] = "0"
        if restart or fixed_hashes:
            processoptions.restart_host(restart)
    try:
        processoptions.apply(config)
    except options.FatalError as error:
        host_sys.stderr.write(error.text)
        return EXIT_FATAL
    set_stdio_buffering(unbuffered=config.unbuffered)
    space = start_world(config, own_process)
    from gilless.cli import run
    if space is None:
        return run.EXIT_FAILURE
    return run.run_program(space, invocation)


def start_world(config, own_process):
    """The guest world, ready to import its `site`; None if making it failed (reported).

    Made with the cyclic collector paused: gilless's start-up (its own modules,
    the guest's `sys`, `builtins` and import system) leaves no garbage for it to
    find, and each pass costs, most on a free-threaded host, where every pass
    walks the whole heap (six of them took 4 ms of a 3.13t start-up). No guest
    code but the import system's own definitions runs meanwhile."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Imported first, to be frozen with the rest of gilless.
        from gilless.cli import run  # noqa: F401
        from gilless.module.hostmodules import freeze_gilless_objects
        from gilless.objspace.space import Space
        from gilless.objspace.tracebacks import report_internal_error
        if own_process:
            freeze_gilless_objects()
        try:
            return Space(config).activate()
        except BaseException as error:
            report_internal_error(error)
            return None
    finally:
        if collecting:
            gc.enable()


def version_text(level):
    version = "Python {}.{}.{}".format(*host_sys.version_info[:3])
    if level == 1:
        return version
    return (f"{version} (gilless {gilless.__version__}, on "
            f"{host_sys.implementation.name} {host_sys.version})")


def program_directory(invocation):
    """What CPython puts first on sys.path for this program, or None for nothing.

    A directory or zip file given as the program is its own first entry, even
    under -P, because its `__main__` is imported from there."""
    if invocation.filename not in (None, "-"):
        from gilless.cli.run import is_zipfile
        if os.path.isdir(invocation.filename) or is_zipfile(invocation.filename):
            return os.path.abspath(invocation.filename)
    if invocation.config.safe_path:
        return None
    if invocation.module is not None:
        return os.getcwd()
    if invocation.filename not in (None, "-"):
        return os.path.dirname(os.path.realpath(invocation.filename))
    return ""


def set_stdio_buffering(unbuffered):
    """Give stdout and stderr CPython's layering for the guest's choice: unbuffered, the
    text layer writes straight through to the file; buffered, through a BufferedWriter
    (line-buffered on a terminal, and always for stderr)."""
    for name in ("stdout", "stderr"):
        stream = getattr(host_sys, name)
        if not isinstance(stream, io.TextIOWrapper):
            continue
        buffer = stream.buffer
        if isinstance(buffer, io.RawIOBase) == unbuffered:
            continue
        stream.flush()
        encoding, errors = stream.encoding, stream.errors
        # Detached, the old wrappers no longer close the file when collected.
        stream.detach()
        if unbuffered:
            raw = buffer.detach()
            replacement = io.TextIOWrapper(raw, encoding=encoding, errors=errors,
                                           write_through=True)
        else:
            raw = buffer
            line_buffering = name == "stderr" or raw.isatty()
            replacement = io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding,
                                           errors=errors, line_buffering=line_buffering)
        setattr(host_sys, name, replacement)
        if getattr(host_sys, f"__{name}__") is stream:
            setattr(host_sys, f"__{name}__", replacement)


def leave_host(status):
    """Hand the exit status back to the host without it acting on the guest's settings."""
    try:
        os.unsetenv("PYTHONINSPECT")
    except OSError:
        pass
    if host_sys.flags.inspect and os.environ.get("PYTHONINSPECT"):
        # Started with PYTHONINSPECT in the environment, the host would report the exit
        # status as an error and open its own REPL; gilless has honoured it for the guest
        # already. End here, after what the host's exit does for the guest.
        import atexit
        atexit._run_exitfuncs()
        from gilless.module import syshostview
        syshostview.exit_now(status)
    return status
