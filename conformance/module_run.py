"""Running one CPython regression-test module under one interpreter, in its own process.

The module runs through `driver.py`, which writes one JSON line per
outcome as it goes, so a crash or a hang loses nothing that finished: the
test that was running when the process died, or when the timeout killed it
and its children, counts as errored.
"""

import json
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

from benchmarks.bench import IMPLEMENTATIONS

DRIVER = pathlib.Path(__file__).with_name("driver.py")

# A copy: the runner adds gilless's options to its command (--gilless-option).
INTERPRETERS = {name: list(command) for name, command in IMPLEMENTATIONS.items()}
# Outcomes of one test, worst last: a test with several records (subtests)
# takes the worst.
SEVERITY = ["passed", "skipped", "failed", "errored"]


def run_module(interpreter, module, timeout):
    """Run `module` under `interpreter`; return {"outcomes": {id: outcome}, "status", ...}."""
    workdir = tempfile.mkdtemp(prefix=f"conformance-{interpreter}-{module}-")
    outcomes_path = os.path.join(workdir, "outcomes.jsonl")
    log_path = os.path.join(workdir, "output.txt")
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    command = INTERPRETERS[interpreter] + [str(DRIVER), module, outcomes_path]
    started = time.monotonic()
    status = "finished"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            status = "timed out"
            # The module's own child processes go too: they share its session.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    elapsed = time.monotonic() - started
    records = _read_records(outcomes_path)
    if status == "finished" and not any(r["outcome"] == "finished" for r in records):
        status = f"crashed (exit status {process.returncode})"
    outcomes, details = _outcomes(records, status)
    output_tail = pathlib.Path(log_path).read_bytes()[-4000:].decode("utf-8", "replace")
    shutil.rmtree(workdir, ignore_errors=True)
    return {"interpreter": interpreter, "module": module, "status": status,
            "seconds": round(elapsed, 1), "outcomes": outcomes, "details": details,
            "output_tail": output_tail if status != "finished" else ""}


def _read_records(path):
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    records.append(json.loads(line))
                except ValueError:
                    break  # a line cut short by a crash
    except OSError:
        pass
    return records


def _outcomes(records, status):
    outcomes, details, running = {}, {}, None
    for record in records:
        test_id, outcome = record["id"], record["outcome"]
        if outcome == "started":
            running = test_id
            continue
        if outcome == "finished":
            continue
        if test_id == running:
            running = None
        previous = outcomes.get(test_id)
        if previous is None or SEVERITY.index(outcome) > SEVERITY.index(previous):
            outcomes[test_id] = outcome
            if outcome != "passed":
                details[test_id] = record.get("detail", "")
    if status != "finished" and running is not None:
        # The test the interpreter died in, or hung in.
        outcomes[running] = "errored"
        details[running] = status
    return outcomes, details
