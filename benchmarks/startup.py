"""What starting gilless costs beside its host: `python -m benchmarks.startup [options]`.

`-c pass` runs under the host CPython (`sys.executable`) and under the
`gilless` command installed beside it, which that same interpreter runs
(`python -m gilless` where none is installed), process by process
alternately, `--runs` times each; so does `-S -c pass`, in the same
rounds. The figure is the CPU time (user + system) of each process,
which moves far less than wall time when other work shares the machine:
the best and the median of each, and their ratios, gilless / CPython.

Both start the same way: the host interpreter with its `site` (and the
`.pth` files of its environment) and then, under gilless, a second world
that imports its own `site` again with the same files. `-S` turns off the
second one only (gilless's host still needs its `site` to find gilless),
so the two lines split gilless's time into the host's start-up, gilless's
own work, and the guest's `site`, printed beside the host's own `site`.
This prints figures; nothing here asserts a speed.
"""

import argparse
import json
import os
import sys

from benchmarks import bench
from benchmarks.scaling import load_average, machine_description

PLAIN = bench.STARTUP_ARGS
WITHOUT_SITE = ("-S",) + PLAIN


def measure(runs, env=None):
    """The figures of `-c pass` and of `-S -c pass`, from the same rounds."""
    plain, without_site = bench.measure_startup(runs, dict(os.environ) if env is None else env,
                                                (PLAIN, WITHOUT_SITE))
    return {"plain": plain, "without_site": without_site}


def _ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def lines(figures):
    """The table, and where gilless's time goes (from the best of each)."""
    rows = [("command", "CPython best / median", "gilless best / median", "ratio best / median")]
    for key, result in figures.items():
        cpython, gilless = (result["implementations"][name] for name in ("cpython", "gilless"))
        # (Under -S the two do not start alike: gilless's host still imports its site.)
        ratio = (f"{result['cpu_min_ratio']:.2f} / {result['cpu_ratio']:.2f}"
                 if key == "plain" else "-")
        rows.append((" ".join(result["args"]),
                     f"{_ms(cpython['cpu_min_s'])} / {_ms(cpython['cpu_s'])}",
                     f"{_ms(gilless['cpu_min_s'])} / {_ms(gilless['cpu_s'])}", ratio))
    widths = [max(len(row[index]) for row in rows) for index in range(4)]
    text = ["  ".join(cell.ljust(width) if index == 0 else cell.rjust(width)
                      for index, (cell, width) in enumerate(zip(row, widths))) for row in rows]
    best = {key: {name: result["implementations"][name]["cpu_min_s"]
                  for name in ("cpython", "gilless")} for key, result in figures.items()}
    host = best["plain"]["cpython"]
    own = best["without_site"]["gilless"] - host
    guest_site = best["plain"]["gilless"] - best["without_site"]["gilless"]
    host_site = host - best["without_site"]["cpython"]
    text.append(f"gilless -c pass (best): the host's start-up {_ms(host)} + gilless's own "
                f"{_ms(own)} + the guest's site {_ms(guest_site)} (the host's site: "
                f"{_ms(host_site)})")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40,
                        help="processes per command and implementation (default %(default)s)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    machine = machine_description()
    build = "free-threaded" if "t" in getattr(sys, "abiflags", "") else "GIL"
    print(f"host: {sys.implementation.name} {sys.version.split()[0]} ({build} build), "
          f"{sys.executable}; {machine['cpu']} x{machine['cores']}; "
          f"load average before: {load_average()}", flush=True)
    print(f"CPU time (user + system) of each process, {args.runs} processes per command "
          "and implementation, alternating", flush=True)
    print(f"gilless: {' '.join(bench.startup_commands()['gilless'])}", flush=True)
    try:
        figures = measure(args.runs)
    except (bench.BenchError, OSError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines(figures)))
    print(f"load average after: {load_average()}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"load_average": load_average(), "machine": machine,
                       "host": sys.version, **figures}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
