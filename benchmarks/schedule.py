"""What the schedule explorer finds, and how fast: `python -m benchmarks.schedule [options]`.

For each buggy program of tests/schedule/programs/ (`bug_*.py`), three ways
to look for the bug:

- `gilless -X explore=N` with PCT (depth 3) and with the random walk, each
  from `--trials` different first seeds: the number of runs until the first
  failing one (median and worst of the trials; "-" when none failed in N);
- the program run N times natively by the host CPython, in fresh processes:
  how many of the N runs failed.

and the explorer's speed: runs per second over an exploration of the
correct programs (`ok_*.py`), which never stop early. The host is the
interpreter running this command, or `--python`. This prints figures;
nothing here asserts a speed.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parents[1] / "tests" / "schedule" / "programs"
STRATEGIES = ("pct", "random")
FAILED = re.compile(r"gilless: explore: run (\d+) of up to \d+ failed")
EXPLORED = re.compile(r"gilless: explore: explored (\d+) run")


def gilless(python, *args, timeout):
    return subprocess.run([python, "-m", "gilless", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=os.environ.get("TMPDIR", "/tmp"))


def runs_to_failure(python, program, strategy, seed, runs, timeout):
    """(runs until the first failure or None, seconds) of one exploration."""
    started = time.perf_counter()
    result = gilless(python, "-X", f"explore={runs}", "-X", f"schedule={strategy}:{seed}",
                     "-X", "replay_file=/dev/null", str(program), timeout=timeout)
    seconds = time.perf_counter() - started
    match = FAILED.search(result.stderr)
    return (int(match.group(1)) if match else None), seconds


def native_failures(python, program, runs, timeout):
    failures = 0
    for _ in range(runs):
        try:
            result = subprocess.run([python, str(program)], capture_output=True,
                                    timeout=timeout)
        except subprocess.TimeoutExpired:
            failures += 1   # a deadlock, natively: the run hangs
            continue
        failures += result.returncode != 0 or b"Exception in thread" in result.stderr
    return failures


def runs_per_second(python, program, runs, timeout):
    started = time.perf_counter()
    result = gilless(python, "-X", f"explore={runs}", str(program), timeout=timeout)
    seconds = time.perf_counter() - started
    match = EXPLORED.search(result.stderr)
    return (int(match.group(1)) / seconds) if match else None


def _summary(found, runs):
    hits = [n for n in found if n is not None]
    if not hits:
        return "-", f"none in {runs}"
    worst = "-" if len(hits) < len(found) else str(max(hits))
    return f"{statistics.median(hits):g}", worst


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.schedule",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable,
                        help="host interpreter with gilless importable (default: this one)")
    parser.add_argument("--runs", type=int, default=200,
                        help="most runs per exploration, and native runs (default 200)")
    parser.add_argument("--trials", type=int, default=5,
                        help="explorations per program and strategy, from different seeds")
    parser.add_argument("--native-timeout", type=float, default=10,
                        help="seconds before a native run counts as hung (a deadlock)")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    version = subprocess.run([args.python, "-c", "import sys, sysconfig; print(sys.version.split()"
                              "[0], 'free-threaded' if sysconfig.get_config_var('Py_GIL_DISABLED')"
                              " else '')"], capture_output=True, text=True).stdout.strip()
    print(f"host: CPython {version}; cpus: {os.cpu_count()}; runs: {args.runs}; "
          f"trials: {args.trials}", flush=True)
    print("\n| buggy program | PCT: runs to failure (median / worst) "
          "| random: runs to failure (median / worst) | native: failing runs |")
    print("|---|---:|---:|---:|")
    for program in sorted(PROGRAMS.glob("bug_*.py")):
        cells = []
        for strategy in STRATEGIES:
            found = []
            for trial in range(args.trials):
                runs, _ = runs_to_failure(args.python, program, strategy, trial * 1000,
                                          args.runs, args.timeout)
                found.append(runs)
            median, worst = _summary(found, args.runs)
            cells.append(f"{median} / {worst}")
        native = native_failures(args.python, program, args.runs, args.native_timeout)
        print(f"| {program.stem[4:]} | {cells[0]} | {cells[1]} | {native} of {args.runs} |",
              flush=True)
    print("\n| correct program | runs per second |")
    print("|---|---:|")
    speeds = []
    for program in sorted(PROGRAMS.glob("ok_*.py")):
        speed = runs_per_second(args.python, program, args.runs, args.timeout)
        speeds.append(speed or 0.0)
        print(f"| {program.stem[3:]} | {speed:.0f} |" if speed else
              f"| {program.stem[3:]} | failed |", flush=True)
    if all(speeds):
        print(f"| **geometric mean** | **{statistics.geometric_mean(speeds):.0f}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
