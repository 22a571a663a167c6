"""gilless measured beside CPython, run from a checkout (they are not part of the installed package).

    python -m benchmarks.bench      pyperformance programs, gilless against its host CPython
    python -m benchmarks.scaling    throughput at 1, 2, ... threads: host, gilless, `-X gil=1`

They run gilless in child processes (`python -m gilless`); of the runtime they
import only its version, where it lives, and `gilless.userdirs` (the user cache
directory, where the pyperformance wheel is kept).
"""
