"""coverage.py's C tracer measures guest code only.

coverage's C core (`ctrace`, its default before 3.14 where its extension is
built for the host) is `coverage.tracer.CTracer`, whose `start` installs a C
trace function with `PyEval_SetTrace`: the host calls it for every event of
every frame, gilless's included, with no Python code in between. The tracer
asks coverage's `should_trace(filename, frame)` once per file name whether
to measure it, and coverage measures what is not the standard library's or
an installed package's: gilless installed outside site-packages (`pip
install -e`) was measured, and `coverage report` listed its files.

The guest's `coverage.tracer` gets a `CTracer` whose `should_trace` answers
for gilless's own files itself, as coverage answers for code it does not
measure, and asks coverage for every other file. The C function keeps
every event, at its own speed.

Putting the C function behind a Python filter, as cProfile's profiler is on
3.11 (`lsprofadapter`), would decide frame by frame, but a Python call and a
ctypes call per event made the C tracer slower than coverage's Python
tracer (figures in docs/invisible.md); this way it runs at CPython's speed.
What a file name cannot tell apart: the standard library's code that gilless
itself runs is measured with the program's where coverage measures the
standard library (`--pylib`), as it would be with gilless installed in
site-packages (docs/invisible.md).
"""

from gilless.base.frames import GILLESS_DIR


def adapt(module):
    """Give the guest's `coverage.tracer` a `CTracer` that does not measure gilless."""
    host_tracer = getattr(module, "CTracer", None)
    disposition_type = getattr(module, "CFileDisposition", None)
    if not isinstance(host_tracer, type) or not isinstance(disposition_type, type):
        return
    host_setattr = host_tracer.__setattr__

    def not_measured(filename):
        # What coverage's own should_trace makes of a file it does not measure.
        disposition = disposition_type()
        disposition.original_filename = disposition.canonical_filename = filename
        disposition.source_filename = None
        disposition.trace = False
        disposition.reason = "gilless's own code (CPython runs it as C)"
        disposition.file_tracer = None
        disposition.has_dynamic_filename = False
        return disposition

    def guest_files_only(should_trace):
        def should_trace_guest(filename, frame=None):
            if isinstance(filename, str) and filename.startswith(GILLESS_DIR):
                return not_measured(filename)
            return should_trace(filename, frame)
        return should_trace_guest

    class CTracer(host_tracer):
        __doc__ = host_tracer.__doc__
        __slots__ = ()

        def __setattr__(self, name, value):
            if name == "should_trace" and callable(value):
                value = guest_files_only(value)
            host_setattr(self, name, value)

    CTracer.__module__ = host_tracer.__module__
    CTracer.__qualname__ = host_tracer.__qualname__
    module.CTracer = CTracer
