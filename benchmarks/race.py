"""What the race detector costs: `python -m benchmarks.race [options]`.

Each pyperformance program of the scaling benchmark, one copy per thread in
two threads, and each scaling workload in two threads, runs under `gilless`
and under `gilless -X race` in fresh processes (best of `--repeat`). The
table gives the time and peak memory (the child's maximum resident set) of
both, their ratios, and the geometric means. A detector is only exercised by
several threads: a single-threaded run would measure its fast path alone.

The host is the interpreter running this command, or `--python`; run it on a
free-threaded host (`scripts/freethreaded-host`) to see that threads still
run in parallel under the detector (the cores-busy columns). This prints
figures; nothing here asserts a speed.
"""

import argparse
import json
import math
import statistics
import sys

from benchmarks import scaling
from benchmarks.scaling_pyperformance import PROGRAMS_VARIABLE, ROUND
WORKLOADS = ("cpu", "shared_read", "list_append", "queue")
THREADS = 2
PLAIN_RUNS = 5  # plain runs for each run under the detector
# Work per thread at scale 1: the scaling benchmark's, and four rounds of each program
# (one lasts a few hundredths of a second without the detector).
UNITS = dict(scaling.DEFAULT_UNITS, pyperformance=4)


def run_once(python, runner, workload, units, program, timeout):
    """(seconds, cpu seconds, peak resident KiB) of one run, checked to succeed."""
    row = scaling.run_once(python, runner, workload, THREADS, units, timeout,
                           {PROGRAMS_VARIABLE: program} if program else None)
    return row["seconds"], row["cpu_seconds"], row["max_rss_kib"]


def cases(names=()):
    """(label, workload, pyperformance program or None) of each case, or of those
    `names` names (a label, or its last word: `float` for `pyperformance float`)."""
    every = [(f"pyperformance {name}", "pyperformance", name) for name in ROUND]
    every += [(workload, workload, None) for workload in WORKLOADS]
    if not names:
        return every
    return [case for case in every if case[0] in names or case[0].split()[-1] in names]


def measure(python, repeat, scale, timeout, progress, tool="gilless-race",
            plain_runs=PLAIN_RUNS, median=False, names=()):
    """A row per case (see `cases`): the best plain run and the best run under `tool`
    (a runner of scaling.MODE_OPTIONS; benchmarks.threadprof measures the thread
    profiler with it), `plain_runs` plain runs for each run under the tool; with
    `median`, the median time, CPU time and memory of each instead."""
    rows = []
    for label, workload, program in cases(names):
        units = max(int(UNITS[workload] * scale), 1)
        runs = {"gilless": [], tool: []}
        for runner in runs:
            # One untimed small run fills the compile cache of this mode.
            run_once(python, runner, workload, max(units // 100, 1), program, timeout)
        for _ in range(repeat):
            # A plain run takes a fraction of a second, where a burst of load from
            # elsewhere weighs most: it is cheap to take the best of more of them.
            for runner in ("gilless",) * plain_runs + (tool,):
                runs[runner].append(run_once(python, runner, workload, units, program,
                                             timeout))
        if median:
            plain, tooled = ([statistics.median(values) for values in zip(*runs[runner])]
                             for runner in ("gilless", tool))
        else:
            plain, tooled = (min(runs[runner]) for runner in ("gilless", tool))
        row = {"case": label, "seconds": plain[0], "tool_seconds": tooled[0],
               "slowdown": tooled[0] / plain[0], "cores": plain[1] / plain[0],
               "tool_cores": tooled[1] / tooled[0], "cpu_seconds": plain[1],
               "tool_cpu_seconds": tooled[1], "cpu_ratio": tooled[1] / plain[1],
               "rss_kib": plain[2],
               "tool_rss_kib": tooled[2], "memory": tooled[2] / plain[2]}
        rows.append(row)
        progress(f"{label:28} {row['slowdown']:6.2f}x time  {row['cpu_ratio']:6.2f}x CPU time  "
                 f"{row['memory']:5.2f}x memory")
    return rows


def geometric_mean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def table(rows, option="-X race", digits=1):
    name = option.split()[-1].partition("=")[0]
    # The CPU time ratio says what the tool adds where other work on the machine makes
    # wall times move more than the tool does.
    lines = [f"| two threads | gilless | `{option}` | slowdown | CPU time ratio "
             f"| cores busy (plain / {name}) | memory (plain / {name}) | memory ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['case']} | {row['seconds']:.2f} s | {row['tool_seconds']:.2f} s "
                     f"| {row['slowdown']:.{digits}f}x | {row['cpu_ratio']:.{digits}f}x "
                     f"| {row['cores']:.2f} / {row['tool_cores']:.2f} "
                     f"| {row['rss_kib'] / 1024:.0f} / {row['tool_rss_kib'] / 1024:.0f} MiB "
                     f"| {row['memory']:.2f} |")
    slowdown = geometric_mean([r["slowdown"] for r in rows])
    cpu = geometric_mean([r["cpu_ratio"] for r in rows])
    lines.append(f"| **geometric mean** | | | **{slowdown:.{digits}f}x** | **{cpu:.{digits}f}x**"
                 f" | | | **{geometric_mean([r['memory'] for r in rows]):.2f}** |")
    return "\n".join(lines)


def main(argv=None, tool="gilless-race", option="-X race", plain_runs=PLAIN_RUNS, repeat=1,
         digits=1, doc=__doc__, median=False):
    parser = argparse.ArgumentParser(prog=f"python -m {doc.split('`python -m ')[1].split()[0]}",
                                     description=doc.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable,
                        help="host interpreter with gilless importable (default: this one)")
    parser.add_argument("--repeat", type=int, default=repeat,
                        help=f"runs under {option} per case, {'the median' if median else 'best'}"
                             f" kept ({plain_runs} times as many plain runs)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="work per thread relative to UNITS (default 1)")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--case", action="append", default=[], metavar="NAME",
                        help="measure this case only (repeatable): a workload, or a "
                             "pyperformance program's name")
    args = parser.parse_args(argv)
    unknown = [name for name in args.case if not cases([name])]
    if unknown:
        parser.error(f"argument --case: invalid choice: {unknown[0]!r} (choose from "
                     f"{', '.join(repr(label.split()[-1]) for label, _, _ in cases())})")
    host = scaling.host_description(args.python)
    print(f"host: {host['implementation']} {host['version'].split()[0]}"
          f"{' (free-threaded)' if host['free_threaded'] else ''}; "
          f"machine: {scaling.machine_description()}; load: {scaling.load_average()}",
          flush=True)
    rows = measure(args.python, args.repeat, args.scale, args.timeout,
                   lambda line: print(line, file=sys.stderr, flush=True), tool, plain_runs,
                   median, args.case)
    print(table(rows, option, digits))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"host": host, "rows": rows, "load": scaling.load_average()}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
