"""Exploration: the program again and again, each run under another schedule.

Each run is a child process forked from this one after start-up, so that it
starts from the same fresh state and costs only the program's own time. A
run's standard output and error go to files, shown only if the run fails;
its schedule and outcome come back through a pipe.
"""

import json
import os
import re
import signal
import stat
import sys as host_sys
import tempfile

from gilless.base.hostimports import host_module
from gilless.module import syshostview
from gilless.schedule import report, strategies
from gilless.schedule.recording import DEFAULT_REPLAY_FILE, write_replay_file

# A run that takes longer than this (real seconds) is stopped and counts as failing.
RUN_TIMEOUT = 120


class Search:
    """The runs of one exploration: which strategy each gets, what they found."""

    def __init__(self, mode, standard_input=None):
        self.mode = mode
        self.standard_input = standard_input
        self.runs = mode.options["runs"]
        self.text = mode.options["strategy"] or "pct"
        self.name = self.text.partition(":")[0]
        self.seen = set()
        self.longest = 0
        self.prefix = []
        self.tried = 0
        self.complete = False

    def __iter__(self):
        """(index, strategy, outcome) of each run, outcome as `_run`'s; in the child,
        once, with outcome None (the caller runs the program, and never comes back)."""
        syshostview.flush_host_streams()
        for index in range(self.runs):
            strategy = _strategy(self.text, self.name, index, self.prefix, self.longest)
            outcome = _run(self.mode, strategy, self.standard_input)
            if outcome is None:
                yield index, strategy, None
                return
            result = outcome[0]
            self.tried += 1
            self.seen.add(json.dumps(result.get("schedule")))
            self.longest = max(self.longest, result.get("steps") or 0)
            yield index, strategy, outcome
            if self.name == "dfs":
                self.prefix = strategies.next_prefix(result.get("decisions") or [])
                if self.prefix is None:
                    self.complete = True
                    return

    def summary(self):
        return (f"explored {self.tried} run(s), {len(self.seen)} distinct schedule(s) "
                f"({_strategies(self.text, self.name, self.tried)}): no failure"
                + ("; the search is complete" if self.complete else ""))


def explore(mode, space, program_from_stdin=False):
    """Explore the program: its exit status (None in a child, which runs the program)."""
    replay_file = mode.options["replay_file"] or DEFAULT_REPLAY_FILE
    search = Search(mode, _standard_input(program_from_stdin))
    try:
        for index, strategy, outcome in search:
            if outcome is None:
                return None
            result, status, output, errors = outcome
            if index == 0:
                _preload(space, result.get("modules") or ())
            if status != 0:
                _show(output, errors)
                command = _replay_command(space, replay_file)
                _say(_failure_text(index, search.runs, strategy, result, status,
                                   replay_file, command))
                return status
    except KeyboardInterrupt:
        # Ctrl-C: the run in progress is stopped, and the process ends as CPython's does
        # after an uncaught KeyboardInterrupt, by SIGINT.
        _say(f"interrupted after {search.tried} run(s) without a failure")
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return 130
    _say(search.summary())
    return 0


def explore_call(mode, function, test_id):
    """Explore one call of `function` (a test's), each run in a child: the failing
    run's report, or None when every run passed or the call started no thread."""
    replay_file = mode.options["replay_file"] or (
        "gilless-schedule-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", test_id).strip("_")[-100:]
        + ".json")
    search = Search(mode)
    for index, strategy, outcome in search:
        if outcome is None:
            _call_in_child(mode, function)
        result, status, output, errors = outcome
        if status != 0:
            command = ["gilless", "-X", f"replay={replay_file}", "-m", "pytest", test_id]
            text = _failure_text(index, search.runs, strategy, result, status, replay_file,
                                 command)
            return "".join(_decoded(stream) for stream in (output, errors)) + text
        if result.get("threads", 1) <= 1:
            return None   # no thread, so no other schedule
    return None


def _call_in_child(mode, function):
    status = 0
    try:
        function()
    except BaseException as error:
        from gilless.base.frames import hide_internal_frames
        hide_internal_frames(error)
        host_module("traceback").print_exception(error)
        mode.failures.append(f"the test raised {report.exception_text(error)}")
        status = 1
    status = mode.finish(status)
    syshostview.exit_now(status)


def _preload(space, names):
    """Import here the modules not the program's own (the standard library's, installed
    packages') that the first run imported, so that the next runs start with them: a
    run's time is then the program's own. They hold no point of the scheduler's, so the
    schedules stay those of a fresh process."""
    for name in names:
        if name not in space.modules:
            try:
                space.import_module(name)
            except BaseException:
                pass
    syshostview.flush_host_streams()


def _strategy(text, name, index, prefix, longest):
    if name == "dfs":
        strategy = strategies.parse(text)
        strategy.prefix = prefix
        return strategy
    if name == "pct" and len(text.split(":")) < 4:
        # The run length PCT draws its change points from: the longest run so far.
        template = strategies.parse(text)
        return strategies.PCT(template.seed + index, template.depth, longest)
    return strategies.parse(text, run_index=index)


def _strategies(text, name, tried):
    if name == "dfs":
        return text
    parts = text.split(":")
    seed = int(parts[1]) if len(parts) > 1 else 0
    return f"{name}, seeds {seed} to {seed + tried - 1}"


class _StandardInput:
    """What each run reads as its standard input, from where it began: a file given as
    standard input (`< data.txt`), or a copy of a program read from it."""

    def __init__(self, file, offset):
        self.file = file
        self.offset = offset

    def rewind(self):
        os.lseek(self.file.fileno(), self.offset, os.SEEK_SET)


def _standard_input(program_from_stdin):
    """Each run's standard input: all of it, read here, where it is the program (the
    runs need it again, and it is read whole before the program runs anyway); the file
    where it is one. Else None: a pipe or a terminal is the first run's to read."""
    try:
        status = os.fstat(0)
    except OSError:
        return None
    if program_from_stdin:
        copy = tempfile.TemporaryFile()
        while True:
            chunk = os.read(0, 65536)
            if not chunk:
                break
            copy.write(chunk)
        copy.flush()
        return _StandardInput(copy, 0)
    if stat.S_ISREG(status.st_mode):
        return _StandardInput(os.fdopen(os.dup(0), "rb"), os.lseek(0, 0, os.SEEK_CUR))
    return None


def _run(mode, strategy, standard_input=None):
    """Run the program once in a child; in the child, None."""
    read_end, write_end = os.pipe()
    output = tempfile.TemporaryFile()
    errors = tempfile.TemporaryFile()
    if standard_input is not None:
        standard_input.rewind()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        if standard_input is not None:
            os.dup2(standard_input.file.fileno(), 0)
        os.dup2(output.fileno(), 1)
        os.dup2(errors.fileno(), 2)
        output.close()
        errors.close()
        signal.alarm(RUN_TIMEOUT)
        mode.result_fd = write_end
        mode.skips_host_exit = True
        mode.begin(strategy)
        return None
    os.close(write_end)
    chunks = []
    try:
        with os.fdopen(read_end, "rb") as pipe:
            for chunk in iter(lambda: pipe.read(65536), b""):
                chunks.append(chunk)
        _, wait_status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        # (A run that ignores or outlives the interrupt ends with the exploration.)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    status = os.waitstatus_to_exitcode(wait_status)
    try:
        result = json.loads(b"".join(chunks)) if chunks else {}
    except ValueError:
        result = {}
    if status < 0:
        signal_name = signal.Signals(-status).name
        result.setdefault("failures", []).append(
            "timed out" if -status == signal.SIGALRM else f"killed by {signal_name}")
        status = 1
    elif not result:
        result = {"failures": ["the run ended without a report"]}
        status = status or 1
    output.seek(0)
    errors.seek(0)
    return result, status, output.read(), errors.read()


def _show(output, errors):
    host_sys.stdout.buffer.write(output)
    host_sys.stdout.flush()
    host_sys.stderr.buffer.write(errors)
    host_sys.stderr.flush()


def _decoded(data):
    return data.decode("utf-8", "replace")


def _failure_text(index, runs, strategy, result, status, replay_file, command):
    """What failed, where the schedule is, how to replay it; the file written."""
    what = "; ".join(result.get("failures") or []) or f"exit status {status}"
    text = f"run {index + 1} of up to {runs} failed ({strategy.spec()}): {what}\n"
    if "schedule" not in result:
        # Killed (timed out) before it could send its schedule: the strategy, given in
        # full, makes the same choices again.
        again = [f"schedule={strategy.spec()}" if part == f"replay={replay_file}" else part
                 for part in command]
        return (text + "gilless: explore: the run was stopped before it recorded its "
                f"schedule; run it again with:\n    {' '.join(map(_quote, again))}")
    try:
        write_replay_file(replay_file, result, command)
    except OSError as error:
        return text + f"gilless: explore: cannot write {replay_file}: {error.strerror}"
    return (text + f"gilless: explore: schedule written to {replay_file}; replay it with:\n"
            f"    {' '.join(_quote(part) for part in command)}")


def _replay_command(space, replay_file):
    argv = list(space.config.orig_argv) or ["gilless"]
    command = [os.path.basename(argv[0]) if argv[0] else "gilless"]
    skip = False
    for item in argv[1:]:
        if skip:
            skip = False
            if item.split("=")[0] in ("explore", "schedule", "replay_file"):
                continue
            command += ["-X", item]
            continue
        if item == "-X":
            skip = True
            continue
        if item.startswith("-X") and item[2:].split("=")[0] in ("explore", "schedule",
                                                                "replay_file"):
            continue
        command.append(item)
    return command[:1] + ["-X", f"replay={replay_file}"] + command[1:]


def _quote(text):
    return host_module("shlex").quote(text)


def _say(text):
    host_sys.stderr.write(f"gilless: explore: {text}\n")
    host_sys.stderr.flush()
