"""CPython's own regression tests under gilless, run from a checkout:

    python -m conformance [MODULE...] [--jobs N] [--timeout S] [--output DIR]

`modules.txt` names the modules gilless must pass and `expected-failures.txt`
the tests it may fail, each with its reason; `runner` reads both, runs each
module through `driver.py` under gilless and under the host CPython, and
fails on a regression or an unexpected pass. Not part of the installed package.
"""
