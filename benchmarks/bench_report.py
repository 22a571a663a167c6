"""How the benchmark command presents its figures: table lines, the JSON report, the chart.

Kept apart from the measuring code so the table and the JSON always carry the
same labels: "benchmark" is the in-process time of the benchmark calls only,
"wall" the whole process including start-up; ratios are gilless / CPython,
so above 1 means gilless is slower.
"""

import datetime
import math
import os
import platform
import sys

import gilless
from benchmarks import pyperformance_programs as catalogue

COLUMNS = ("program", "CPython bench", "gilless bench", "ratio", "min ratio",
           "CPython wall", "gilless wall", "ratio", "CPU ratio")
WIDTHS = (14, 14, 14, 7, 9, 13, 13, 7, 9)


def cpu_model():
    """The processor's model name, as Linux reports it, else what `platform` knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    """The host interpreter and machine, as the figures' context."""
    cpu = cpu_model()
    gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)()
    return {
        "host_python": sys.version.split()[0],
        "host_implementation": sys.implementation.name,
        "host_build": "free-threaded" if not gil_enabled else "GIL",
        "host_executable": sys.executable,
        "gilless_version": gilless.__version__,
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
    }


def geometric_mean(values):
    return math.exp(sum(math.log(value) for value in values) / len(values))


def _ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def _row(cells):
    return "  ".join(str(cell).rjust(width) if index else str(cell).ljust(width)
                     for index, (cell, width) in enumerate(zip(cells, WIDTHS)))


def preamble(settings):
    host = machine()
    return (f"host: {host['host_implementation']} {host['host_python']} ({host['host_build']}), "
            f"{host['cpu']} x{host['cpu_count']}, {host['platform']}\n"
            f"programs: pyperformance {catalogue.PYPERFORMANCE_VERSION}, each "
            f"{settings.processes} processes x ({settings.warmups} warm-up + "
            f"{settings.values} timed calls) per implementation\n"
            "bench = median in-process time of one benchmark call (min ratio: of the fastest); "
            "wall = median process wall time, start-up and warm-ups included;\n"
            "CPU ratio = the same processes' CPU time; ratio = gilless / CPython")


def startup_line(startup):
    figures = startup["implementations"]
    cpython, gilless_figures = figures["cpython"], figures["gilless"]
    return (f"start-up ({' '.join(startup['args'])}), median wall: CPython "
            f"{_ms(cpython['wall_s'])}, gilless {_ms(gilless_figures['wall_s'])}, ratio "
            f"{startup['wall_ratio']:.2f}; CPU time (user + system): CPython "
            f"{_ms(cpython['cpu_s'])}, gilless {_ms(gilless_figures['cpu_s'])}, ratio "
            f"{startup['cpu_ratio']:.2f} (of the best: {startup['cpu_min_ratio']:.2f})")


def table_header():
    return _row(COLUMNS) + "\n" + _row("-" * width for width in WIDTHS)


def program_line(entry):
    cpython, gilless_figures = (entry["implementations"][name] for name in ("cpython", "gilless"))
    return _row((entry["program"], _ms(cpython["benchmark_s"]),
                 _ms(gilless_figures["benchmark_s"]), f"{entry['benchmark_ratio']:.2f}",
                 f"{entry['benchmark_min_ratio']:.2f}",
                 _ms(cpython["wall_s"]), _ms(gilless_figures["wall_s"]),
                 f"{entry['wall_ratio']:.2f}", f"{entry['cpu_ratio']:.2f}"))


def build_report(settings, startup, entries):
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "pyperformance": catalogue.PYPERFORMANCE_VERSION,
        "settings": {"processes": settings.processes, "values": settings.values,
                     "warmups": settings.warmups, "loops": 1,
                     "startup_runs": settings.startup_runs},
        "units": "seconds; ratios are gilless / CPython",
        "startup": startup,
        "programs": entries,
        "geometric_mean": {
            "benchmark_ratio": geometric_mean([e["benchmark_ratio"] for e in entries]),
            "benchmark_min_ratio": geometric_mean([e["benchmark_min_ratio"] for e in entries]),
            "wall_ratio": geometric_mean([e["wall_ratio"] for e in entries]),
            "cpu_ratio": geometric_mean([e["cpu_ratio"] for e in entries]),
        },
    }


def summary_lines(report):
    means = report["geometric_mean"]
    return _row(("geometric mean", "", "", f"{means['benchmark_ratio']:.2f}",
                 f"{means['benchmark_min_ratio']:.2f}",
                 "", "", f"{means['wall_ratio']:.2f}", f"{means['cpu_ratio']:.2f}"))


def draw_chart(report, path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    entries = report["programs"]
    labels = [entry["program"] for entry in entries] + ["geo. mean"]
    means = report["geometric_mean"]
    benchmark = [entry["benchmark_ratio"] for entry in entries] + [means["benchmark_ratio"]]
    wall = [entry["wall_ratio"] for entry in entries] + [means["wall_ratio"]]
    positions = range(len(labels))
    width = 0.4
    figure, axes = pyplot.subplots(figsize=(10, 4.8))
    for offset, ratios, label in ((-width / 2, benchmark, "benchmark time (in process)"),
                                  (width / 2, wall, "process wall time (with start-up)")):
        bars = axes.bar([p + offset for p in positions], ratios, width, label=label)
        axes.bar_label(bars, fmt="%.2f", fontsize=8)
    axes.axhline(1.0, color="black", linewidth=0.8)
    axes.set_xticks(list(positions))
    axes.set_xticklabels(labels, rotation=30, ha="right")
    axes.set_ylabel("gilless / CPython (lower is faster)")
    host = report["machine"]
    axes.set_title(f"gilless vs host CPython {host['host_python']} ({host['host_build']}), "
                   f"pyperformance {report['pyperformance']}")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
