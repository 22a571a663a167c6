"""The settings a guest world starts with: what the command line and environment asked for.

A plain class rather than a dataclass: every `gilless` command builds one
before anything else, and `dataclasses` (with `inspect` behind it) is among
the heaviest host modules to import, a cost paid at every start-up.
"""


def _defaults():
    return dict(
        argv=[""],
        orig_argv=[],
        # The launcher that started this process (the `gilless` command or a virtual
        # environment's `bin/python`), absolute; None when started otherwise
        # (`python -m gilless`). It is the guest's sys.executable.
        launcher=None,
        # The directory put first on the guest path, or None for none (-P, -I).
        path0=None,
        optimize=0,
        gil=False,
        # The race detector (-X race, PYTHON_RACE=1) and its options (gilless.race).
        race=False,
        race_options={},
        # The schedule explorer (-X schedule=, explore=, replay=): its settings
        # (gilless.schedule.parse_options), or None.
        schedule=None,
        # The thread profiler (-X threadprof[=FILE.json], gilless.threadprof): on, the
        # JSON file to write (None: the report on stderr only), the sampling interval (s).
        threadprof=False,
        threadprof_file=None,
        threadprof_interval=None,
        inspect=False,
        interactive=False,
        isolated=False,
        ignore_environment=False,
        no_site=False,
        no_user_site=False,
        safe_path=False,
        dont_write_bytecode=False,
        # Where pyc files go instead of __pycache__ (PYTHONPYCACHEPREFIX, -X pycache_prefix).
        pycache_prefix=None,
        # --check-hash-based-pycs: `_imp.check_hash_based_pycs`, which the guest's
        # importlib reads only for a `.pyc` beside its source, which gilless never reads.
        check_hash_pycs_mode="default",
        # gilless's compile cache is its own directory, not __pycache__, so only
        # -B and GILLESS_CACHE=0 turn it off, not PYTHONDONTWRITEBYTECODE.
        use_code_cache=True,
        verbose=0,
        # -d, PYTHONDEBUG: shown in sys.flags.debug.
        debug=0,
        quiet=False,
        bytes_warning=0,
        dev_mode=False,
        # Process-wide facilities the host provides: set up for the guest at start-up
        # (gilless.cli.processoptions).
        faulthandler=False,
        # Frames per traceback for tracemalloc; 0: not tracing.
        tracemalloc=0,
        # sys.flags.int_max_str_digits: -1 for the default limit.
        int_max_str_digits=-1,
        import_time=False,
        # sys.flags.utf8_mode asked for, or None for the host's own reading.
        utf8_mode=None,
        warn_default_encoding=False,
        # Whether the modules CPython freezes carry "<frozen NAME>" as their file name.
        frozen_modules=True,
        unbuffered=False,
        warnoptions=[],
        xoptions={},
        # Extra guest path entries (PYTHONPATH), placed after path0.
        pythonpath=[],
    )


FIELDS = tuple(_defaults())


class Config:
    def __init__(self, **settings):
        values = _defaults()
        unknown = settings.keys() - values.keys()
        if unknown:
            raise TypeError(f"Config got unknown settings: {', '.join(sorted(unknown))}")
        values.update(settings)
        self.__dict__.update(values)

    def __repr__(self):
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in FIELDS)
        return f"Config({settings})"

    def __eq__(self, other):
        if not isinstance(other, Config):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in FIELDS)

    __hash__ = None
