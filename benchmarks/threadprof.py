"""What the thread profiler costs: `python -m benchmarks.threadprof [options]`.

The cases of `benchmarks.race` (each pyperformance program of the scaling
benchmark, one copy per thread in two threads, and each scaling workload in
two threads) run under `gilless` and under `gilless -X threadprof` in fresh
processes, interleaved, the best of `--repeat` runs of each kept (the same
number of both: the profiler's target, 1.3x, is close enough to 1 that the
best of more plain runs would bias it). The table gives both times, their
ratio, the cores busy and the peak memory, and the geometric means. The
profile is printed on the child's stderr and discarded; it is part of the
measured time (its analysis at exit is).

The host is the interpreter running this command, or `--python`. This
prints figures; nothing here asserts a speed.
"""

import sys

from benchmarks import race


def main(argv=None):
    return race.main(argv, tool="gilless-threadprof", option="-X threadprof", plain_runs=1,
                     repeat=3, digits=2, doc=__doc__)


if __name__ == "__main__":
    sys.exit(main())
