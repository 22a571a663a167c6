"""Driving an interactive interpreter through a pseudo-terminal, with timeouts.

The child gets the terminal as its controlling terminal and is in its
foreground process group, so Ctrl-C typed at the terminal reaches it as
SIGINT and `isatty()` is true on its standard streams, exactly as for a
person at a terminal. Everything is bounded: each wait gives up after a
timeout and the child is killed at the end.
"""

import fcntl
import os
import re
import select
import signal
import subprocess
import termios
import time

DEFAULT_TIMEOUT = 20


class ExpectTimeout(AssertionError):
    pass


def _become_terminal_owner():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class TerminalSession:
    def __init__(self, argv, env=None, cwd=None):
        master, slave = os.openpty()
        # A wide terminal keeps readline from wrapping long lines.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x00\x19\x00\xc8\x00\x00\x00\x00")
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, cwd=cwd, close_fds=True,
                                        preexec_fn=_become_terminal_owner)
        os.close(slave)
        self.master = master
        self.output = ""     # everything read so far
        self.position = 0    # where the next expect starts looking

    def send(self, text):
        os.write(self.master, text.encode())

    def _read_some(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.master], [], [], remaining)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if not data:
            return None
        self.output += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, pattern, timeout=DEFAULT_TIMEOUT):
        """Wait until `pattern` (a regex) appears after the previous match; return the text
        between the previous match and the end of this one."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.output, self.position)
            if match:
                seen = self.output[self.position:match.end()]
                self.position = match.end()
                return seen
            got = self._read_some(deadline)
            if got is None:
                raise ExpectTimeout(f"end of output while waiting for {pattern!r}; "
                                    f"output was:\n{self.output}")
            if got is False:
                raise ExpectTimeout(f"timed out waiting for {pattern!r}; output was:\n"
                                    f"{self.output}")

    def prompt(self, timeout=DEFAULT_TIMEOUT):
        return self.expect(r">>> $|>>> (?=\S)|>>> ", timeout)

    def wait(self, timeout=DEFAULT_TIMEOUT):
        """Read until the child exits; return its exit status."""
        deadline = time.monotonic() + timeout
        while self._read_some(deadline):
            pass
        try:
            return self.process.wait(max(0.1, deadline - time.monotonic()))
        finally:
            self.close()

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)
        try:
            os.close(self.master)
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
