"""The benchmark command: pyperformance programs under gilless and under its host CPython.

    python -m benchmarks.bench [--processes N] [--values N] [--warmups N] [--programs A,B]

Both implementations run in the same invocation on the same host
interpreter (`sys.executable`, which is also gilless's host), process by
process alternately, so machine noise falls on both alike. Two figures per
program:

  * benchmark time: measured inside the process by the pyperf stand-in
    around the benchmark calls only, after the warm-up calls; the median of
    all timed calls of all processes;
  * process wall time: measured around the whole process by this command,
    so it adds start-up, compiling or loading the program and its imports,
    the warm-ups and every timed call; the median over processes. The same
    processes' CPU time (user + system) is reported beside it, being less
    disturbed by other work on a shared machine.

Before timing, each program runs once under each implementation; that run
fills gilless's compile cache (the timed processes load from it, as any
second run does) and checks that both print the same result. Figures are
printed as a table and written as JSON and a PNG chart (matplotlib, the
`bench` extra) to `--output-dir`. This is a measuring tool, not a test:
nothing here asserts a speed.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import gilless
from benchmarks import bench_report
from benchmarks import pyperformance_programs as catalogue

# Children start here so that `-m gilless` runs the gilless this command imports.
GILLESS_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(gilless.__file__)))
# The command of each implementation compared (also used by the scaling benchmark and
# the conformance runner).
IMPLEMENTATIONS = {
    "cpython": [sys.executable],
    "gilless": [sys.executable, "-m", "gilless"],
}
PROCESS_TIMEOUT = 900


class BenchError(Exception):
    pass


def _children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_process(implementation, args, env, cpu_times=None, commands=IMPLEMENTATIONS):
    """Run one process; returns (wall seconds, stdout). Raises BenchError if it fails.

    The process's CPU time (user + system) is appended to `cpu_times`: on a
    busy machine it moves much less than wall time does.
    """
    command = commands[implementation] + list(args)
    cpu_before = _children_cpu_seconds()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=GILLESS_PARENT, env=env, capture_output=True, text=True,
                          timeout=PROCESS_TIMEOUT)
    wall = time.perf_counter() - start
    if cpu_times is not None:
        cpu_times.append(_children_cpu_seconds() - cpu_before)
    if done.returncode != 0:
        raise BenchError(f"{implementation} {' '.join(args)} exited with {done.returncode}:\n"
                         f"{done.stderr[-2000:]}")
    return wall, done.stdout


def alternating(processes):
    """The order of implementations for each round: cpython first, then gilless first, ..."""
    names = list(IMPLEMENTATIONS)
    for round_number in range(processes):
        yield names if round_number % 2 == 0 else names[::-1]


def measure_program(program, settings, env, log):
    path = catalogue.program_path(program.name)
    results = {}
    for implementation in IMPLEMENTATIONS:
        _, stdout = run_process(implementation, [path, "--values", "1"], env)
        results[implementation] = stdout
    if len(set(results.values())) != 1:
        raise BenchError(f"{program.name}: results differ:\n" +
                         "".join(f"  {name}: {out}" for name, out in results.items()))
    figures = {name: {"values": [], "walls": [], "cpu_times": []} for name in IMPLEMENTATIONS}
    with tempfile.TemporaryDirectory(prefix="gilless-bench-") as scratch:
        output = os.path.join(scratch, "timings.json")
        args = [path, "--values", str(settings.values), "--warmups", str(settings.warmups),
                "--loops", "1", "--output", output]
        for order in alternating(settings.processes):
            for implementation in order:
                wall, _ = run_process(implementation, args, env,
                                      figures[implementation]["cpu_times"])
                with open(output) as f:
                    timings = json.load(f)
                figures[implementation]["walls"].append(wall)
                for benchmark in timings["benchmarks"]:
                    figures[implementation]["values"].extend(benchmark["values"])
    for data in figures.values():
        data["benchmark_s"] = statistics.median(data["values"])
        data["wall_s"] = statistics.median(data["walls"])
        data["cpu_s"] = statistics.median(data["cpu_times"])
        data["benchmark_min_s"] = min(data["values"])
    entry = {
        "program": program.name,
        "result": results["cpython"].strip(),
        "implementations": figures,
        "benchmark_ratio": figures["gilless"]["benchmark_s"] / figures["cpython"]["benchmark_s"],
        "wall_ratio": figures["gilless"]["wall_s"] / figures["cpython"]["wall_s"],
        "benchmark_min_ratio": (figures["gilless"]["benchmark_min_s"] /
                                figures["cpython"]["benchmark_min_s"]),
        "cpu_ratio": figures["gilless"]["cpu_s"] / figures["cpython"]["cpu_s"],
    }
    log(bench_report.program_line(entry))
    return entry


STARTUP_ARGS = ("-c", "pass")


def startup_commands():
    """The commands whose start-up is measured: the host interpreter, and the `gilless`
    command installed beside it, which is what a user runs (`-m gilless` where none is
    installed, which imports the host's `runpy` and `importlib.util` besides)."""
    launcher = os.path.join(os.path.dirname(sys.executable), "gilless")
    gilless_command = [launcher] if os.access(launcher, os.X_OK) else IMPLEMENTATIONS["gilless"]
    return {"cpython": IMPLEMENTATIONS["cpython"], "gilless": gilless_command}


def measure_startup(runs, env, variants=(STARTUP_ARGS,)):
    """Wall and CPU time of `-c pass` (or of each command line of `variants`): the cost
    of starting each implementation at all. Each round runs every variant under both
    implementations, in alternating order, so load from elsewhere falls on all alike.
    One result per variant: medians, the CPU time's best, and gilless / CPython."""
    commands = startup_commands()
    figures = [{name: {"walls": [], "cpu_times": []} for name in IMPLEMENTATIONS}
               for _ in variants]
    # One untimed run of each first, allowed to write bytecode: gilless's own modules
    # then load from their .pyc files, as after an installation, and the guest's
    # standard library from the compile cache.
    warm_up = {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}
    for args in variants:
        for implementation in IMPLEMENTATIONS:
            run_process(implementation, list(args), warm_up, commands=commands)
    for order in alternating(runs):
        for args, by_implementation in zip(variants, figures):
            for implementation in order:
                data = by_implementation[implementation]
                wall, _ = run_process(implementation, list(args), env, data["cpu_times"],
                                      commands)
                data["walls"].append(wall)
    results = []
    for args, by_implementation in zip(variants, figures):
        for data in by_implementation.values():
            data["wall_s"] = statistics.median(data["walls"])
            data["cpu_s"] = statistics.median(data["cpu_times"])
            data["cpu_min_s"] = min(data["cpu_times"])
        cpython, gilless_figures = by_implementation["cpython"], by_implementation["gilless"]
        results.append({
            "args": list(args), "commands": commands, "implementations": by_implementation,
            "wall_ratio": gilless_figures["wall_s"] / cpython["wall_s"],
            "cpu_ratio": gilless_figures["cpu_s"] / cpython["cpu_s"],
            "cpu_min_ratio": gilless_figures["cpu_min_s"] / cpython["cpu_min_s"],
        })
    return results


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench",
                                     description=__doc__.split("\n\n")[0])
    names = [program.name for program in catalogue.PROGRAMS]
    parser.add_argument("--programs", default=",".join(names),
                        help="comma-separated programs (default: all of %(default)s)")
    parser.add_argument("--processes", type=int, default=3,
                        help="processes per program and implementation (default %(default)s)")
    parser.add_argument("--values", type=int, default=5,
                        help="timed benchmark calls per process (default %(default)s)")
    parser.add_argument("--warmups", type=int, default=1,
                        help="untimed calls before them (default %(default)s)")
    parser.add_argument("--startup-runs", type=int, default=10,
                        help="processes of `-c pass` per implementation (default %(default)s)")
    parser.add_argument("--output-dir", default="bench-results",
                        help="where bench.json and bench.png go (default %(default)s)")
    parser.add_argument("--no-chart", action="store_true", help="do not draw the PNG chart")
    settings = parser.parse_args(argv)
    chosen = [name.strip() for name in settings.programs.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        parser.error(f"unknown programs: {', '.join(unknown)} (known: {', '.join(names)})")
    settings.programs = [program for program in catalogue.PROGRAMS if program.name in chosen]
    for option in ("processes", "values", "startup_runs"):
        if getattr(settings, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1")
    if settings.warmups < 0:
        parser.error("--warmups must not be negative")
    return settings


def main(argv=None):
    settings = parse_args(sys.argv[1:] if argv is None else argv)

    def log(text):
        print(text, flush=True)

    try:
        catalogue.benchmarks_dir()
    except catalogue.FetchError as error:
        print(f"cannot fetch the benchmark programs: {error}", file=sys.stderr)
        return 1
    env = catalogue.program_env()
    log(bench_report.preamble(settings))
    try:
        [startup] = measure_startup(settings.startup_runs, env)
        log(bench_report.startup_line(startup))
        log(bench_report.table_header())
        entries = [measure_program(program, settings, env, log) for program in settings.programs]
    except (BenchError, subprocess.TimeoutExpired) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    report = bench_report.build_report(settings, startup, entries)
    log(bench_report.summary_lines(report))
    os.makedirs(settings.output_dir, exist_ok=True)
    json_path = os.path.join(settings.output_dir, "bench.json")
    with open(json_path, "w") as f:
        json.dump(report, f, indent=1)
    log(f"figures: {json_path}")
    if not settings.no_chart:
        png_path = os.path.join(settings.output_dir, "bench.png")
        try:
            bench_report.draw_chart(report, png_path)
            log(f"chart: {png_path}")
        except ImportError:
            print("no chart: matplotlib is not installed (pip install 'gilless[bench]')",
                  file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
