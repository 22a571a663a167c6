"""What the thread profiler costs: `python -m benchmarks.threadprof [options]`.

The cases of `benchmarks.race` (each pyperformance program of the scaling
benchmark, one copy per thread in two threads, and each scaling workload in
two threads) run under `gilless` and under `gilless -X threadprof` in fresh
processes, interleaved, the median of `--repeat` runs of each kept (the same
number of both). Not the best: the profiler's target, 1.3x, is close to 1,
and a workload such as `queue` under a GIL takes from 0.06 to 0.2 s between
identical plain runs (its four threads hand the GIL over in a pattern that a
run falls into or not), so that the best of a few runs measures how lucky
one of them was. The table gives both times, their ratio, the cores busy and
the peak memory, and the geometric means. The profile is printed on the
child's stderr, after the timed part, and discarded.

The host is the interpreter running this command, or `--python`. This
prints figures; nothing here asserts a speed.
"""

import sys

from benchmarks import race


def main(argv=None):
    return race.main(argv, tool="gilless-threadprof", option="-X threadprof", plain_runs=1,
                     repeat=5, digits=2, doc=__doc__, median=True)


if __name__ == "__main__":
    sys.exit(main())
