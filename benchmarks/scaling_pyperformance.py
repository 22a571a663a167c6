"""The `pyperformance` workload of the thread scaling benchmark: real programs, a copy per thread.

Run by `scaling_workloads.py`, so by the host CPython and by gilless
alike. Each thread loads its own copy of eight pyperformance programs
from the unpacked wheel (the directory is in
`GILLESS_SCALING_PYPERFORMANCE`; the pyperf stand-in is on the path), under
module names of its own, so the programs' module-level state (richards'
task table, nbody's bodies) and their classes and functions are the
thread's: nothing but the interpreter and the standard library is shared.
json_dumps is left out, its time being the C encoder's. A unit of work is a
round: one call of each program's benchmark function, at sizes chosen so
that each call is of the order of a tenth of a second on a free-threaded
host (richards' single iteration, whose size is fixed, is the longest).

The main thread's copy runs one round first, untimed: it is the warm-up and
its results are the reference. Every round of every thread must give the
same results for the programs whose functions return something other than
a time (richards checks itself and returns True); nbody, whose bodies move
on from one round to the next, is compared in the first round only.
"""

import importlib.util
import os
import sys
import threading

PROGRAMS_DIRECTORY_VARIABLE = "GILLESS_SCALING_PYPERFORMANCE"
PROGRAMS_VARIABLE = "GILLESS_SCALING_PROGRAMS"


def _richards(program):
    return program.Richards().run(1)


def _nbody(program):
    program.bench_nbody(1, "sun", 5000)
    return program.report_energy()


def _fannkuch(program):
    return program.fannkuch(8)


def _spectral_norm(program):
    program.bench_spectral_norm(1)  # returns its time: the size is set at load


def _float(program):
    point = program.benchmark(30_000)
    return point.x, point.y, point.z


def _nqueens(program):
    # bench_n_queens(n) is list(n_queens(n)), whose length is returned here.
    return len(list(program.n_queens(7)))


def _raytrace(program):
    program.bench_raytrace(1, 32, 32, None)  # returns its time


def _generators(program):
    # bench_generators builds a tree of fixed size; its own functions, sized here.
    return sum(program.tree(range(25_000)))


# Program name -> (one call of its benchmark, whether its result is the same every round).
ROUND = {
    "richards": (_richards, True),
    "nbody": (_nbody, False),
    "fannkuch": (_fannkuch, True),
    "spectral_norm": (_spectral_norm, True),
    "float": (_float, True),
    "nqueens": (_nqueens, True),
    "raytrace": (_raytrace, True),
    "generators": (_generators, True),
}
SPECTRAL_NORM_SIZE = 70


def programs_directory():
    directory = os.environ.get(PROGRAMS_DIRECTORY_VARIABLE)
    if not directory or not os.path.isdir(directory):
        raise SystemExit(f"pyperformance: set {PROGRAMS_DIRECTORY_VARIABLE} to the benchmarks "
                         "directory of the unpacked wheel (python -m benchmarks.scaling does)")
    return directory


def load_copies(owner):
    """A fresh copy of every program, as modules named after `owner`."""
    directory = programs_directory()
    copies = {}
    for name in selected():
        module_name = f"bm_{name}__{owner}"
        path = os.path.join(directory, f"bm_{name}", "run_benchmark.py")
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        copies[name] = module
    # Its benchmark function reads its size from this global: set on this copy only.
    if "spectral_norm" in copies:
        copies["spectral_norm"].DEFAULT_N = SPECTRAL_NORM_SIZE
    return copies


def selected():
    """The programs of a round: all, or those GILLESS_SCALING_PROGRAMS names (a comma list,
    as the race benchmark runs them one at a time)."""
    names = os.environ.get(PROGRAMS_VARIABLE)
    if not names:
        return ROUND
    return {name: ROUND[name] for name in names.split(",")}


def run_round(copies):
    return {name: call(copies[name]) for name, (call, _) in selected().items()}


def reference_results():
    """The main thread's copy runs one round: the warm-up, and the expected results."""
    return run_round(load_copies("main"))


def thread_copies(reference):
    """Called by each thread before the timing starts."""
    return load_copies(f"thread{threading.get_ident()}"), reference


def rounds(units, state):
    copies, reference = state
    for round_number in range(units):
        results = run_round(copies)
        for name, (_, same_every_round) in selected().items():
            if (round_number == 0 or same_every_round) and results[name] != reference[name]:
                raise RuntimeError(f"pyperformance: {name} gave {results[name]!r} in round "
                                   f"{round_number + 1}, {reference[name]!r} expected")
    return units
