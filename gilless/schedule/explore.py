"""Exploration: the program again and again, each run under another schedule.

Each run is a child process forked from this one after start-up, so that it
starts from the same fresh state and costs only the program's own time. A
run's standard output and error go to files, shown only if the run fails;
its schedule and outcome come back through a pipe.
"""

import json
import os
import signal
import sys as host_sys
import tempfile

from gilless.schedule import strategies
from gilless.schedule.recording import DEFAULT_REPLAY_FILE, write_replay_file

# A run that takes longer than this (real seconds) is stopped and counts as failing.
RUN_TIMEOUT = 120


def explore(mode, space):
    options = mode.options
    runs = options["runs"]
    text = options["strategy"] or "pct"
    name = text.partition(":")[0]
    replay_file = options["replay_file"] or DEFAULT_REPLAY_FILE
    for stream in (host_sys.stdout, host_sys.stderr):
        stream.flush()
    seen = set()
    longest = 0
    prefix = []
    tried = 0
    for index in range(runs):
        strategy = _strategy(text, name, index, prefix, longest)
        outcome = _run(mode, strategy)
        if outcome is None:
            return None   # the child: it runs the program
        result, status, output, errors = outcome
        tried += 1
        seen.add(json.dumps(result.get("schedule")))
        longest = max(longest, result.get("steps") or 0)
        if index == 0:
            _preload(space, result.get("modules") or ())
        if status != 0:
            return _failed(space, mode, index, runs, strategy, result, status, output, errors,
                           replay_file)
        if name == "dfs":
            prefix = strategies.next_prefix(result.get("decisions") or [])
            if prefix is None:
                break
    complete = name == "dfs" and prefix is None
    _say(f"explored {tried} run(s), {len(seen)} distinct schedule(s) "
         f"({_strategies(text, name, tried)}): no failure"
         + ("; the search is complete" if complete else ""))
    return 0


def _preload(space, names):
    """Import here the standard library's modules that the first run imported, so that
    the next runs start with them: a run's time is then the program's own. They hold no
    point of the scheduler's, so the schedules stay those of a fresh process."""
    for name in names:
        if name not in space.modules:
            try:
                space.import_module(name)
            except BaseException:
                pass
    for stream in (host_sys.stdout, host_sys.stderr):
        stream.flush()


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


def _run(mode, strategy):
    """Run the program once in a child; in the child, None."""
    read_end, write_end = os.pipe()
    output = tempfile.TemporaryFile()
    errors = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
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
    with os.fdopen(read_end, "rb") as pipe:
        for chunk in iter(lambda: pipe.read(65536), b""):
            chunks.append(chunk)
    _, wait_status = os.waitpid(pid, 0)
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


def _failed(space, mode, index, runs, strategy, result, status, output, errors, replay_file):
    host_sys.stdout.buffer.write(output)
    host_sys.stdout.flush()
    host_sys.stderr.buffer.write(errors)
    host_sys.stderr.flush()
    what = "; ".join(result.get("failures") or []) or f"exit status {status}"
    command = _replay_command(space, replay_file)
    try:
        write_replay_file(replay_file, result, command)
    except OSError as error:
        _say(f"cannot write {replay_file}: {error.strerror}")
    _say(f"run {index + 1} of up to {runs} failed ({strategy.spec()}): {what}\n"
         f"gilless: explore: schedule written to {replay_file}; replay it with:\n"
         f"    {' '.join(_quote(part) for part in command)}")
    return status


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
    import shlex
    return shlex.quote(text)


def _say(text):
    host_sys.stderr.write(f"gilless: explore: {text}\n")
    host_sys.stderr.flush()
