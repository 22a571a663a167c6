"""The `gilless` command: set up a guest world from the command line and run the program."""

import os
import signal
import sys as host_sys

import gilless
from gilless.cli import options
from gilless.objspace.space import Space
from gilless.objspace.tracebacks import report_internal_error

EXIT_USAGE = 2


def main(argv=None):
    argv = host_sys.argv[1:] if argv is None else argv
    try:
        invocation = options.parse(argv)
    except options.UsageError as error:
        host_sys.stderr.write(f"{error}\n{options.USAGE}\n"
                              f"Try `{options.PROGRAM} -h' for more information.\n")
        return EXIT_USAGE
    if invocation.show_help:
        host_sys.stdout.write(options.HELP)
        return 0
    if invocation.show_version:
        host_sys.stdout.write(version_text(invocation.show_version) + "\n")
        return 0
    _set_path0(invocation)
    config = invocation.config
    if invocation.filename is None and invocation.command is None and invocation.module is None:
        config.interactive = config.inspect or host_sys.stdin.isatty()
    try:
        space = Space(config).activate()
    except BaseException as error:
        report_internal_error(error)
        return 1
    if config.unbuffered:
        _unbuffer()
    from gilless.cli import run
    return run.run_program(space, invocation)


def version_text(level):
    version = "Python {}.{}.{}".format(*host_sys.version_info[:3])
    if level == 1:
        return version
    return (f"{version} (gilless {gilless.__version__}, on "
            f"{host_sys.implementation.name} {host_sys.version})")


def _set_path0(invocation):
    config = invocation.config
    if config.safe_path:
        config.path0 = None
    elif invocation.module is not None:
        config.path0 = os.getcwd()
    elif invocation.filename not in (None, "-"):
        config.path0 = os.path.dirname(os.path.realpath(invocation.filename))
        if os.path.isdir(invocation.filename) or _is_zipfile(invocation.filename):
            config.path0 = invocation.filename
    else:
        config.path0 = ""


def _is_zipfile(path):
    try:
        with open(path, "rb") as f:
            f.seek(-22, os.SEEK_END)
            return f.read(4) == b"PK\x05\x06"
    except OSError:
        return False


def _unbuffer():
    for stream in (host_sys.stdout, host_sys.stderr):
        try:
            stream.reconfigure(write_through=True, line_buffering=False)
        except (AttributeError, ValueError):
            pass


def exit_by_sigint():
    """End the process as CPython does after an uncaught KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
    return 130
