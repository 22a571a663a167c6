"""-X importtime and PYTHONPROFILEIMPORTTIME for the guest's imports.

CPython times each import that misses the module table where its C code
calls importlib's `_find_and_load`, and writes a line per import on the
process's error stream when it ends: its own time, its time with the
imports it made, and its name indented by its depth. gilless's import
statement misses the table at the same point and calls `_find_and_load`, so
that call is timed, only when the option asks for it: the default mode's
imports are untouched. The nesting depth and the time taken by nested
imports are one count for the process, as CPython's C statics are.
"""

import time

from gilless.module.syshostview import write_error_stream

_header_written = False
_level = 0
_accumulated = 0


def timed(find_and_load):
    """`find_and_load`, reporting each import's time as CPython's import_find_and_load."""

    def timed_find_and_load(name, import_):
        global _header_written, _level, _accumulated
        if not _header_written:
            write_error_stream("import time: self [us] | cumulative | imported package\n")
            _header_written = True
        accumulated_before = _accumulated
        _level += 1
        _accumulated = 0
        start = time.perf_counter_ns()
        try:
            return find_and_load(name, import_)
        finally:
            cumulative = time.perf_counter_ns() - start
            _level -= 1
            own = cumulative - _accumulated
            write_error_stream(f"import time: {_microseconds(own):9d} | "
                               f"{_microseconds(cumulative):10d} | {'  ' * _level}{name}\n")
            _accumulated = accumulated_before + cumulative

    return timed_find_and_load


def _microseconds(nanoseconds):
    # Rounded up, as CPython's _PyTime_ROUND_CEILING.
    return -(-nanoseconds // 1000)

