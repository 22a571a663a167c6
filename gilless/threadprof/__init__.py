"""The thread profiler: `gilless -X threadprof` tells why a threaded program does not scale.

The program runs as in the default mode (same compiled code, threads in
parallel on a free-threaded host); the profiler watches it through the
instrumentation layer's synchronisation events and a sampler, and at exit
prints on stderr a ranked list of what cost parallel time, each with its
`file:line`, then tables of locks, waits, threads, shared objects and serial
phases (docs/threadprof.md).

It counts what is rare and samples what is frequent. Exact, from the events
(`recorder`): every wait on a lock, condition, queue, event, join or sleep,
with its stack; each lock's acquisitions and hold time; each thread's start,
end and CPU time. Sampled (`sampler`, every `interval`): the line each thread
runs, its kernel state (running, futex, another system call) and the shared
objects that line names. It does not compile the access events in: those
cost about 12 times the plain run, the profiler aims at 1.3
(`python -m benchmarks.threadprof` measures it).

`-X threadprof=FILE.json` also writes the profile as JSON, and beside it
FILE.trace.json (Chrome trace events, for Perfetto or chrome://tracing) and
FILE.png (a timeline). `-X threadprof_interval=MS` sets the sampling
interval (default 5 ms).
"""

import os
import sys as host_sys
import time

from gilless.base import hostbuild
from gilless.base.hostimports import host_module

DEFAULT_INTERVAL = 0.005


class OptionError(ValueError):
    pass


def parse_interval(text):
    try:
        milliseconds = float(text)
    except ValueError:
        milliseconds = -1
    if not 0.1 <= milliseconds <= 1000:
        raise OptionError(f"the sampling interval is milliseconds from 0.1 to 1000, "
                          f"not {text!r}")
    return milliseconds / 1000


class ThreadProfMode:
    """What the guest world calls to run under the thread profiler (see Space)."""

    def __init__(self, path=None, interval=DEFAULT_INTERVAL):
        from gilless.threadprof.recorder import Recorder
        self.path = path
        self.interval = interval
        self.recorder = Recorder()
        self.sampler = None
        self.guest_modules = {}
        self.pytest_plugin = None
        self._cpu_start = None
        self.program = " ".join(host_sys.argv) or "gilless"

    def patch_module(self, name, module):
        from gilless.instrument import sync
        if name == "_thread":
            from gilless.concurrency import gil
            gil.prepare_thread_reports()
            sync.report_thread_exception = gil.report_thread_exception
            sync.observe_waits()
            sync.patch_thread_module(module)
        elif name == "_queue":
            sync.patch_queue_module(module)
        elif name == "time":
            sync.patch_time_module(module)

    def start(self, space):
        from gilless import instrument
        from gilless.instrument import sync
        from gilless.threadprof.sampler import Sampler
        instrument.install(self.recorder)
        space.builtins.__import__ = sync.import_hook(space.guest_import)
        self._cpu_start = _machine_times()
        self.recorder.start()
        self.sampler = Sampler(self.recorder, self.interval)
        self.sampler.start()

    def module_executed(self, name):
        pass

    def finish(self, status):
        """Stop, write the report (and the files), and leave the exit status as it is."""
        from gilless.instrument import sync
        self.recorder.stop()
        self.sampler.stop()
        self.recorder.entry_waits(sync.drain())
        self.recorder.add_waits(sync.finish())
        try:
            from gilless.threadprof import analysis, report
            profile = analysis.analyse(self.recorder, self.sampler, self._host())
            host_sys.__stderr__.write(report.format_report(profile))
            if self.path:
                trace, png = report.write_files(profile, self.path, self.program)
                host_sys.__stderr__.write(f"threadprof: wrote {self.path}, {trace}, {png}\n")
            host_sys.__stderr__.flush()
        except OSError as error:
            host_sys.__stderr__.write(f"threadprof: cannot write the profile: {error}\n")
        except Exception as error:
            # A bug in the profiler does not change how the program ended.
            host_sys.__stderr__.write("threadprof: internal error (a gilless bug) while "
                                      "writing the profile:\n")
            host_module("traceback").print_exception(error, file=host_sys.__stderr__)
        return status

    def _host(self):
        free_threaded = hostbuild.FREE_THREADED_BUILD
        gil = getattr(host_sys, "_is_gil_enabled", lambda: True)()
        version = ".".join(map(str, host_sys.version_info[:3]))
        name = f"CPython {version}{'t' if free_threaded else ''}"
        if gil:
            name += ", GIL enabled" if free_threaded else ", with a GIL"
        host = {"name": name, "free_threaded": free_threaded, "gil": gil,
                "cores": _cores(), "proc": self.sampler._proc,
                "other_processes_cores": None}
        end = _machine_times()
        if self._cpu_start and end:
            # The machine's busy time less this process's, over the run.
            busy = (end[0] - self._cpu_start[0]) - (end[1] - self._cpu_start[1])
            wall = end[2] - self._cpu_start[2]
            if wall > 0:
                host["other_processes_cores"] = max(0.0, busy / wall)
        return host


def _cores():
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _machine_times():
    """(busy seconds of the whole machine, this process's CPU seconds, now), or None."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    values = [int(value) for value in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    busy = (sum(values[:8]) - idle) / ticks
    own = os.times()
    return busy, own.user + own.system, time.monotonic()
