"""Thread scaling benchmark: `python -m benchmarks.scaling [options]`.

For each workload of `scaling_workloads` and each thread count (1, 2, then
powers of two up to the machine's cores), it runs the workload program
under the host CPython directly, under gilless, and under gilless with
`-X gil=1`, each in a fresh process, and keeps the best of several runs.
It reports for each runner the throughput relative to one thread, how many
cores were busy (process CPU time over wall time) and the CPU efficiency
(operations per CPU second relative to one thread: below 1 is contention
or switching overhead, whatever the machine's load), the
single-threaded time of gilless against the host and against the GIL mode,
and writes the figures as JSON and a PNG plot (matplotlib; `--plot-only`
replots saved JSON with an interpreter that has it).

The host is the interpreter running this command, or `--python`: the
figures mean something for parallelism only on a free-threaded host
(`scripts/freethreaded-host`); on a GIL host they show the overheads.
Numbers from a loaded machine are noise: the load average before and after
is recorded with the results. This is a benchmark that prints figures, not
a test; nothing here asserts a speed.
"""

import argparse
import json
import os
import pathlib
import platform
import subprocess
import sys

import gilless
from benchmarks import pyperformance_programs
from benchmarks.bench import IMPLEMENTATIONS
from benchmarks.bench_report import cpu_model
from benchmarks.scaling_pyperformance import PROGRAMS_DIRECTORY_VARIABLE

WORKLOADS_FILE = pathlib.Path(__file__).with_name("scaling_workloads.py")
# The directory holding the gilless this command imports, put on the path of every run so
# that `--python` hosts without gilless installed run the same checkout.
GILLESS_PARENT = pathlib.Path(gilless.__file__).resolve().parent.parent
# Units of work per thread, sized for about a third of a second on one thread
# of a free-threaded 3.13 host (a default-build host is faster); a unit of
# `pyperformance` is a round of eight programs, about 0.6 s there.
DEFAULT_UNITS = {"cpu": 120_000, "shared_read": 150_000, "list_append": 600_000,
                 "queue": 30_000, "pyperformance": 1}
RUNNERS = ("host", "gilless", "gilless-gil")


def default_thread_counts():
    cores = os.cpu_count() or 1
    counts, n = [1, 2], 4
    while n <= cores:
        counts.append(n)
        n *= 2
    if cores > 2 and cores not in counts:
        counts.append(cores)
    return counts


# Runners beside RUNNERS that other benchmarks use (benchmarks.race, benchmarks.threadprof).
MODE_OPTIONS = {"gilless": [], "gilless-gil": ["-X", "gil=1"], "gilless-race": ["-X", "race"],
                "gilless-threadprof": ["-X", "threadprof"]}


def runner_command(python, runner):
    implementation = "cpython" if runner == "host" else "gilless"
    return [python] + IMPLEMENTATIONS[implementation][1:] + MODE_OPTIONS.get(runner, [])


def workload_env(workload):
    env = dict(os.environ)
    path = [str(GILLESS_PARENT)]
    if workload == "pyperformance":
        # The programs, from the wheel (fetched once), and the pyperf stand-in they import.
        env[PROGRAMS_DIRECTORY_VARIABLE] = pyperformance_programs.benchmarks_dir()
        path.append(pyperformance_programs.STANDIN_DIR)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, path + [env.get("PYTHONPATH")]))
    return env


def run_once(python, runner, workload, threads, units, timeout, extra_env=None):
    env = workload_env(workload)
    env.update(extra_env or {})
    command = runner_command(python, runner) + [str(WORKLOADS_FILE), workload, str(threads),
                                                str(units)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def host_description(python):
    script = ("import json, platform, sys, sysconfig; print(json.dumps({'version': sys.version,"
              " 'implementation': sys.implementation.name,"
              " 'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED'))}))")
    return json.loads(subprocess.run([python, "-c", script], capture_output=True, text=True,
                                     check=True).stdout)


def machine_description():
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "system": platform.platform()}


def load_average():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def measure(python, workloads, thread_counts, repeat, scale, timeout, progress):
    """Best time of `repeat` runs per point. The rounds interleave runners and thread
    counts, so a burst of load from elsewhere spreads over all of them."""
    results = {}
    for workload in workloads:
        units = max(int(DEFAULT_UNITS[workload] * scale), 1)
        for runner in RUNNERS:
            # One untimed run fills gilless's compile cache for this mode.
            run_once(python, runner, workload, 1, max(units // 100, 1), timeout)
        best = {}
        for _ in range(repeat):
            for runner in RUNNERS:
                for threads in thread_counts:
                    row = run_once(python, runner, workload, threads, units, timeout)
                    key = runner, threads
                    if key not in best or row["seconds"] < best[key]["seconds"]:
                        best[key] = row
        for (runner, threads), row in sorted(best.items()):
            results.setdefault(workload, {}).setdefault(runner, {})[threads] = {
                "seconds": row["seconds"], "operations": row["operations"],
                "throughput": row["operations"] / row["seconds"],
                "cpu_seconds": row["cpu_seconds"],
                "parallelism": row["cpu_seconds"] / row["seconds"]}
            progress(f"{workload:12} {runner:12} {threads:3} threads  {row['seconds']:8.3f} s"
                     f"  {row['cpu_seconds'] / row['seconds']:5.2f} cores busy")
    return results


def summarize(results):
    """Speed-ups relative to one thread, and the single-threaded comparisons."""
    summary = {}
    for workload, by_runner in results.items():
        entry = {"speedup": {}, "parallelism": {}, "cpu_efficiency": {},
                 "single_thread_seconds": {}}
        for runner, by_threads in by_runner.items():
            one = by_threads[min(by_threads)]
            per_cpu_second = one["operations"] / one["cpu_seconds"]
            entry["cpu_efficiency"][runner] = {
                threads: round(row["operations"] / row["cpu_seconds"] / per_cpu_second, 2)
                for threads, row in by_threads.items()}
            base = one["throughput"]
            entry["speedup"][runner] = {threads: round(row["throughput"] / base, 2)
                                        for threads, row in by_threads.items()}
            entry["parallelism"][runner] = {threads: round(row["parallelism"], 2)
                                            for threads, row in by_threads.items()}
            entry["single_thread_seconds"][runner] = by_threads[min(by_threads)]["seconds"]
        single = entry["single_thread_seconds"]
        entry["gilless_vs_host_1_thread"] = round(single["gilless"] / single["host"], 2)
        entry["gil_mode_vs_default_1_thread"] = round(single["gilless-gil"] / single["gilless"], 2)
        summary[workload] = entry
    return summary


def table(summary, thread_counts):
    header = ["workload", "threads"] + [f"{r}: speed-up, cores busy, CPU efficiency"
                                        for r in RUNNERS]
    rows = []
    for workload, entry in summary.items():
        for threads in thread_counts:
            rows.append([workload, str(threads)] + [
                f"{entry['speedup'][r][threads]:.2f}, {entry['parallelism'][r][threads]:.2f}, "
                f"{entry['cpu_efficiency'][r][threads]:.2f}" for r in RUNNERS])
    single_header = ["workload", "host 1-thread s", "gilless 1-thread s", "gilless/host",
                     "gil=1 1-thread s", "gil=1/default"]
    single_rows = []
    for workload, entry in summary.items():
        single = entry["single_thread_seconds"]
        single_rows.append([workload, f"{single['host']:.3f}", f"{single['gilless']:.3f}",
                            f"{entry['gilless_vs_host_1_thread']:.2f}",
                            f"{single['gilless-gil']:.3f}",
                            f"{entry['gil_mode_vs_default_1_thread']:.2f}"])
    return _markdown(header, rows) + "\n\n" + _markdown(single_header, single_rows)


def _markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def plot(report, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = report["summary"]
    columns = min(len(summary), 3)
    rows = -(-len(summary) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4 * columns, 3.3 * rows + 0.3),
                                squeeze=False)
    for axis in axes.flat[len(summary):]:
        axis.set_visible(False)
    for axis, (workload, entry) in zip(axes.flat, summary.items()):
        counts = sorted(int(t) for t in entry["speedup"]["host"])
        axis.plot(counts, counts, linestyle=":", color="grey", label="ideal")
        for runner in RUNNERS:
            speedups = {int(t): v for t, v in entry["speedup"][runner].items()}
            axis.plot(counts, [speedups[t] for t in counts], marker="o", label=runner)
        axis.set_title(workload)
        axis.set_xlabel("threads")
        axis.set_xticks(counts)
        axis.set_ylim(bottom=0)
    for row in axes:
        row[0].set_ylabel("throughput / 1 thread")
    axes.flat[0].legend(fontsize="small")
    host = report["host"]
    figure.suptitle(f"gilless thread scaling on {host['implementation']} "
                    f"{host['version'].split()[0]}{' (free-threaded)' if host['free_threaded'] else ''}"
                    f", {report['machine']['cores']} cores", fontsize="medium")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable,
                        help="host interpreter to run gilless and the workloads (default: this one)")
    parser.add_argument("--threads", type=lambda s: [int(x) for x in s.split(",")],
                        default=default_thread_counts(), help="thread counts, e.g. 1,2,4")
    parser.add_argument("--workloads", type=lambda s: s.split(","), default=list(DEFAULT_UNITS))
    parser.add_argument("--repeat", type=int, default=5, help="runs per point; the best is kept")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the work per thread")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--output", default="bench-results",
                        help="directory for scaling.json and scaling.png (default %(default)s)")
    parser.add_argument("--plot-only", metavar="JSON", help="only plot saved results")
    args = parser.parse_args(argv)
    output = pathlib.Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    if args.plot_only:
        with open(args.plot_only) as f:
            report = json.load(f)
        plot(report, output / "scaling.png")
        print(f"wrote {output / 'scaling.png'}")
        return 0
    if 1 not in args.threads:
        parser.error("--threads must include 1 (speed-ups are relative to one thread)")
    if "pyperformance" in args.workloads:
        try:
            pyperformance_programs.benchmarks_dir()
        except pyperformance_programs.FetchError as error:
            parser.exit(1, f"the pyperformance workload needs the pyperformance wheel: {error}\n")
    load_before = load_average()
    results = measure(args.python, args.workloads, args.threads, args.repeat, args.scale,
                      args.timeout, lambda line: print(line, file=sys.stderr, flush=True))
    summary = summarize(results)
    report = {"host": host_description(args.python), "machine": machine_description(),
              "load_average_before": load_before, "load_average_after": load_average(),
              "repeat": args.repeat, "scale": args.scale, "results": results,
              "summary": summary}
    with open(output / "scaling.json", "w") as f:
        json.dump(report, f, indent=1)
    print(table(summary, args.threads))
    print(f"\nhost: {report['host']['version']} (free-threaded: "
          f"{report['host']['free_threaded']}); machine: {report['machine']['cpu']}, "
          f"{report['machine']['cores']} cores; load average before/after: "
          f"{load_before} / {report['load_average_after']}")
    print(f"wrote {output / 'scaling.json'}")
    try:
        plot(report, output / "scaling.png")
        print(f"wrote {output / 'scaling.png'}")
    except ImportError:
        print("matplotlib is not installed here: no plot; run with --plot-only "
              f"{output / 'scaling.json'} where it is", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
