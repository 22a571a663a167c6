"""The interactive prompt: CPython's REPL over the guest world.

Lines are read with the host's `input()` (GNU readline line editing and
history when the guest's `site` has set them up through `readline`), joined
until they form a complete statement (the host's `codeop` decides), then
compiled in 'single' mode so expression values go through the guest's
`sys.displayhook`, which also sets `_`. Ctrl-C cancels the line being typed
or interrupts the running statement; Ctrl-D at the prompt leaves.
"""

import codeop
import sys as host_sys

from gilless.cli import run

FUTURE_FLAGS_MASK = 0x1FE0000 | 0x2000000


def banner():
    version = host_sys.version.replace("\n", " ")
    return (f"Python {version} on {host_sys.platform} (gilless)\n"
            'Type "help", "copyright", "credits" or "license" for more information.')


def _read_line(space, prompt):
    stdin = space.sys.stdin
    if stdin is host_sys.__stdin__ and stdin.isatty():
        return input(prompt)
    stderr = space.sys.stderr
    stderr.write(prompt)
    stderr.flush()
    line = stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def interact(space, quiet=False):
    """Run the REPL until end of input; return an exit status if the guest asked for one."""
    guest_sys = space.sys
    main = space.modules["__main__"]
    if not hasattr(guest_sys, "ps1"):
        guest_sys.ps1 = ">>> "
    if not hasattr(guest_sys, "ps2"):
        guest_sys.ps2 = "... "
    hook = getattr(guest_sys, "__interactivehook__", None)
    if hook is not None:
        try:
            hook()
        except Exception as error:
            run.report_uncaught(space, error)
    if not quiet:
        host_sys.stderr.write(banner() + "\n")
    is_complete = codeop.CommandCompiler()
    future_flags = 0
    while True:
        lines = []
        prompt = str(guest_sys.ps1)
        while True:
            try:
                line = _read_line(space, prompt)
            except EOFError:
                if space.sys.stdin.isatty():
                    space.sys.stdout.write("\n")
                return None
            except KeyboardInterrupt:
                space.sys.stderr.write("\nKeyboardInterrupt\n")
                lines = []
                prompt = str(guest_sys.ps1)
                continue
            lines.append(line)
            source = "\n".join(lines)
            try:
                complete = is_complete(source, "<stdin>", "single")
                if complete is None:
                    prompt = str(guest_sys.ps2)
                    continue
                code = space.compile(source + "\n", "<stdin>", "single", future_flags)
            except (SyntaxError, OverflowError, ValueError) as error:
                run.report_uncaught(space, error)
                break
            future_flags |= code.co_flags & FUTURE_FLAGS_MASK
            try:
                exec(code, main.__dict__)
            except SystemExit as exit_request:
                return run.exit_status(space, exit_request)
            except BaseException as error:
                run.report_uncaught(space, error)
            break
