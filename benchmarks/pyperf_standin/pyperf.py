"""A stand-in for `pyperf`, enough to run pyperformance's benchmark programs as they are.

pyperf calibrates loop counts, spawns worker processes and computes
statistics; a program run under two implementations must instead do the
same fixed work in one process under both, so this module calls each
benchmark a fixed number of times (`--warmups`, `--values`, `--loops`, the
names pyperf uses), times the calls inside the process and writes the
timings to the JSON file named by `-o`/`--output`. Standard output carries
only what the computation produced, never a timing, so it can be compared
byte for byte between implementations: the value a `bench_func` call
returned and, with `--trace-results`, a digest of every value returned or
yielded by the program's own functions (a trace hook sees them), which
covers the benchmarks that return nothing but a time.

The module runs as guest code under gilless and as ordinary code under
CPython; it uses only the standard library.
"""

import argparse
import hashlib
import json
import sys
import time

perf_counter = time.perf_counter

# Containers longer than this are summarised by length and type, which keeps
# tracing linear in the work the benchmark does.
_SUMMARY_ITEMS = 32
_PLAIN_TYPES = frozenset({int, float, bool, str, type(None)})
_BATCH = 20000


def fingerprint(value, depth=0):
    """A repr of `value` that is the same in every process: no object addresses."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return repr(value)
    if isinstance(value, (tuple, list)) and depth < 3:
        if len(value) > _SUMMARY_ITEMS:
            return f"{type(value).__name__}[{len(value)}]"
        items = ", ".join(fingerprint(item, depth + 1) for item in value)
        return f"{type(value).__name__}({items})"
    if isinstance(value, dict) and depth < 3 and len(value) <= _SUMMARY_ITEMS:
        items = ", ".join(f"{fingerprint(k, depth + 1)}: {fingerprint(v, depth + 1)}"
                          for k, v in value.items())
        return "{" + items + "}"
    text = repr(value)
    if " at 0x" in text:
        return f"<{type(value).__qualname__}>"
    return text


class _ResultTrace:
    """Every value returned or yielded by a function of the `__main__` module, hashed in order.

    The hook runs for every call and return of the benchmark, so it does as
    little as it can per event: plain values are repr'd directly and the
    texts are hashed in batches.
    """

    def __init__(self, main_globals, timing_code=None):
        self.main_globals = main_globals
        # The time function of `bench_time_func` returns seconds, which differ
        # between runs: only that it returned is recorded.
        self.timing_code = timing_code
        self.digest = hashlib.sha256()
        self.count = 0
        self.pending = []

    def on_call(self, frame, event, arg):
        if frame.f_globals is not self.main_globals:
            return None
        frame.f_trace_lines = False
        return self.on_event

    def on_event(self, frame, event, arg):
        if event == "return":
            code = frame.f_code
            pending = self.pending
            pending.append(code.co_name)
            if code is self.timing_code:
                pending.append("<seconds>")
            elif type(arg) in _PLAIN_TYPES:
                pending.append(repr(arg))
            else:
                pending.append(fingerprint(arg))
            if len(pending) >= _BATCH:
                self._flush()
        return self.on_event

    def _flush(self):
        self.count += len(self.pending) // 2
        self.digest.update("\n".join(self.pending).encode())
        self.digest.update(b"\n")
        self.pending.clear()

    def hexdigest(self):
        self._flush()
        return self.digest.hexdigest()

    def __enter__(self):
        sys.settrace(self.on_call)
        return self

    def __exit__(self, *exc_info):
        sys.settrace(None)


class _NoTrace:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass


class Runner:
    def __init__(self, values=None, warmups=None, processes=None, loops=0, min_time=0.1,
                 metadata=None, show_name=True, program_args=None, add_cmdline_args=None,
                 _argparser=None, **_ignored):
        self.metadata = dict(metadata or {})
        self.argparser = _argparser or argparse.ArgumentParser()
        parser = self.argparser
        parser.add_argument("--values", "-n", type=int, default=values or 1,
                            help="timed calls of the benchmark (default 1)")
        parser.add_argument("--warmups", "-w", type=int, default=warmups or 0,
                            help="untimed calls before the timed ones (default 0)")
        parser.add_argument("--loops", "-l", type=int, default=loops or 1,
                            help="benchmark calls per value (default 1)")
        parser.add_argument("--output", "-o", metavar="FILENAME",
                            help="write the timings as JSON to FILENAME")
        parser.add_argument("--trace-results", action="store_true",
                            help="print a digest of every value the program's functions return")
        self.args = None
        self.results = []

    def parse_args(self, args=None):
        if self.args is None:
            self.args = self.argparser.parse_args(args)
        return self.args

    def _timed(self, name, one_value, timing_code=None):
        """Run `one_value(loops)` for the warm-ups and the values; returns the last result."""
        args = self.parse_args()
        loops = max(args.loops, 1)
        trace = _NoTrace()
        if args.trace_results:
            trace = _ResultTrace(sys.modules["__main__"].__dict__, timing_code)
        values = []
        result = None
        with trace:
            for _ in range(args.warmups):
                one_value(loops)
            for _ in range(args.values):
                seconds, result = one_value(loops)
                values.append(seconds / loops)
        self.results.append({"name": name, "loops": loops, "warmups": args.warmups,
                             "values": values, "metadata": self.metadata})
        self._report(name, result, trace)
        self._write_output()
        return result

    def _report(self, name, result, trace):
        line = f"{name}: result {fingerprint(result)}"
        if isinstance(trace, _ResultTrace):
            digest = trace.hexdigest()
            line += f"; {trace.count} returns, digest {digest[:16]}"
        print(line, flush=True)

    def _write_output(self):
        if self.args.output:
            with open(self.args.output, "w") as f:
                json.dump({"implementation": sys.implementation.name,
                           "benchmarks": self.results}, f, indent=1)

    def bench_func(self, name, func, *args, inner_loops=None, **_ignored):
        inner = inner_loops or 1

        def one_value(loops):
            result = None
            start = perf_counter()
            for _ in range(loops):
                result = func(*args)
            return (perf_counter() - start) / inner, result

        return self._timed(name, one_value)

    def bench_time_func(self, name, time_func, *args, inner_loops=None, **_ignored):
        inner = inner_loops or 1

        def one_value(loops):
            return time_func(loops, *args) / inner, None

        return self._timed(name, one_value, getattr(time_func, "__code__", None))
