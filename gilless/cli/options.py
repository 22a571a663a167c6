"""Parsing the command line the way CPython does.

Options come before the program (a script, `-c CMD`, `-m MODULE` or `-`);
everything after the program is its argv. Short options combine (`-OO`,
`-iq`, `-Wd`), and options with values take them attached or as the next
argument (`-Xgil=1`, `-X gil=1`).
"""

import os
import sys

from gilless.objspace.config import Config

PROGRAM = "gilless"

USAGE = f"usage: {PROGRAM} [option] ... [-c cmd | -m mod | file | -] [arg] ..."

HELP = f"""{USAGE}
Options (and corresponding environment variables):
-b     : issue warnings about str(bytes_instance), str(bytearray_instance)
         and comparing bytes/bytearray with str. (-bb: issue errors)
-B     : don't write compiled modules to the cache; also PYTHONDONTWRITEBYTECODE=x
-c cmd : program passed in as string (terminates option list)
-d     : parser debugging output (debug builds only); also PYTHONDEBUG=x
-E     : ignore PYTHON* environment variables (such as PYTHONPATH)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running script; forces a prompt even
         if stdin does not appear to be a terminal; also PYTHONINSPECT=x
-I     : isolate gilless from the user's environment (implies -E, -P and -s)
-m mod : run library module as a script (terminates option list)
-O     : remove assert and __debug__-dependent statements; also PYTHONOPTIMIZE=x
-OO    : do -O changes and also discard docstrings
-P     : don't prepend a potentially unsafe path to sys.path; also PYTHONSAFEPATH
-q     : don't print version and copyright messages on interactive startup
-s     : don't add user site directory to sys.path; also PYTHONNOUSERSITE
-S     : don't imply 'import site' on initialization
-u     : force the stdout and stderr streams to be unbuffered;
         this option has no effect on stdin; also PYTHONUNBUFFERED=x
-v     : verbose (trace import statements); also PYTHONVERBOSE=x
-V     : print the Python version number and exit (also --version)
         when given twice, print more information about the build
-W arg : warning control; arg is action:message:category:module:lineno
         also PYTHONWARNINGS=arg
-x     : skip first line of source, allowing use of non-Unix forms of #!cmd
-X opt : set implementation-specific option (gilless's own: gil, race,
         schedule, explore, replay, threadprof; see --help-xoptions)
--check-hash-based-pycs always|default|never:
         how the import system checks hash-based .pyc files
--help-env      : print help about the environment variables and exit
--help-xoptions : print help about the -X options and exit
--help-all      : print complete help information and exit
Arguments:
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
arg ...: arguments passed to program in sys.argv[1:]
"""

HELP_XOPTIONS = """\
The -X options, as in CPython, and gilless's own:

-X faulthandler: enable faulthandler (also PYTHONFAULTHANDLER)
-X tracemalloc[=N]: trace memory allocations with tracemalloc, keeping N frames
    of each (default 1; also PYTHONTRACEMALLOC)
-X importtime: print how long each import takes (also PYTHONPROFILEIMPORTTIME)
-X dev: development mode: default warning filter, faulthandler, asyncio debug
    mode, sys.flags.dev_mode (also PYTHONDEVMODE)
-X utf8[=0|1]: UTF-8 mode for operating system interfaces (also PYTHONUTF8)
-X pycache_prefix=PATH: write .pyc files under PATH (also PYTHONPYCACHEPREFIX)
-X warn_default_encoding: EncodingWarning for 'encoding=None'
    (also PYTHONWARNDEFAULTENCODING)
-X no_debug_ranges: no column positions in code objects and tracebacks
    (also PYTHONNODEBUGRANGES)
-X frozen_modules=[on|off]: whether frozen standard modules are used
-X int_max_str_digits=N: limit int<->str conversions to N digits, 0 for none
    (also PYTHONINTMAXSTRDIGITS)

-X gil=1: run guest threads under one global lock (also PYTHON_GIL=1),
    to measure what fine-grained locking costs; the default is 0,
    which also keeps a free-threaded host's GIL disabled
-X race[=OPTIONS]: report data races between threads (also PYTHON_RACE=1);
    OPTIONS as GILLESS_RACE, separated by commas
-X race_report=FILE: with -X race, write the races found to FILE at exit
    (SARIF 2.1.0 if FILE ends in .sarif, else JSON)
-X schedule=STRATEGY: run the threads one at a time, switching as
    STRATEGY decides: random:SEED, pct:SEED[:DEPTH[:STEPS]], dfs[:BOUND]
-X explore=N: run the program under up to N schedules, until one fails
-X replay=FILE: run the program under the schedule recorded in FILE
-X replay_file=FILE: where -X explore writes the failing schedule
    (default gilless-schedule.json)
-X threadprof[=FILE.json]: at exit, report on stderr why threads did not
    run in parallel (locks, queues, serial phases, shared objects);
    with FILE.json, also write it there, with a Chrome trace
    (FILE.trace.json) and a timeline (FILE.png) beside it
-X threadprof_interval=MS: the profiler's sampling interval (default 5)
"""

HELP_ENV = """\
Environment variables that change behavior (as in CPython, and gilless's own):
PYTHONSTARTUP    : file executed on interactive startup (no default)
PYTHONPATH       : ':'-separated list of directories prefixed to the
                   default module search path
PYTHONPLATLIBDIR : the platform's library directory name
PYTHONCASEOK     : ignore case in import statements (Windows)
PYTHONUTF8       : 1 for UTF-8 mode, 0 for none (as -X utf8)
PYTHONIOENCODING : encoding[:errors] of stdin, stdout and stderr
PYTHONFAULTHANDLER: dump the traceback on a fatal error (as -X faulthandler)
PYTHONHASHSEED   : 'random', or an integer seed for str and bytes hashes
PYTHONINTMAXSTRDIGITS: as -X int_max_str_digits
PYTHONBREAKPOINT : what breakpoint() calls, 'module.callable' or 0 for nothing
PYTHONDEVMODE    : as -X dev
PYTHONPYCACHEPREFIX: as -X pycache_prefix
PYTHONWARNDEFAULTENCODING: as -X warn_default_encoding
PYTHONNODEBUGRANGES: as -X no_debug_ranges
PYTHON_GIL       : as -X gil
PYTHON_RACE      : as -X race

These have command-line options of the same meaning (see -h):
PYTHONDEBUG (-d), PYTHONDONTWRITEBYTECODE (-B), PYTHONINSPECT (-i),
PYTHONNOUSERSITE (-s), PYTHONOPTIMIZE (-O), PYTHONSAFEPATH (-P),
PYTHONUNBUFFERED (-u), PYTHONVERBOSE (-v), PYTHONWARNINGS=arg (-W arg)

gilless's own:
GILLESS_CACHE_DIR: where compiled modules are cached (default ~/.cache/gilless)
GILLESS_CACHE    : 0 turns the compile cache off (as -B does)
GILLESS_DEBUG    : show gilless's own frames in tracebacks
GILLESS_RACE     : race detector options, as Go's GORACE: halt_on_error=1,
                   exitcode=N (default 66), log_path=PATH, history_size=N
"""

# What --help, --help-xoptions, --help-env and --help-all print.
HELP_TEXTS = {"--help": HELP, "--help-xoptions": HELP_XOPTIONS, "--help-env": HELP_ENV,
              "--help-all": f"{HELP}\n{HELP_ENV}\n{HELP_XOPTIONS}"}

# Options that take a value, attached or as the next argument.
WITH_VALUE = "cmWX"
SIMPLE = "bBdEhiIOPqRsSuvVx?"


class UsageError(Exception):
    pass


class FatalError(Exception):
    """A setting CPython refuses before it runs anything, with its message."""

    def __init__(self, message, state="preinitialized"):
        super().__init__(message)
        self.text = f"Fatal Python error: {message}\nPython runtime state: {state}\n\n"


class Invocation:
    """What the command line asked for: a Config plus what to run."""

    def __init__(self):
        self.config = Config()
        self.command = None      # -c
        self.module = None       # -m
        self.filename = None     # script path, or "-" for stdin
        self.show_help = None    # the help text to print, if asked for
        self.show_version = 0
        self.skip_first_line = False
        # The first sys.path entry, once known (see gilless.cli.main.program_directory).
        self.path0 = None

    @property
    def runs_code(self):
        """True when a script, command or module is the program, rather than standard input."""
        return (self.command is not None or self.module is not None
                or self.filename not in (None, "-"))


def parse(argv, environ=None, launcher=None):
    """The invocation that `argv` (less the program name) asks for; `launcher` is the
    script that started gilless, as the host's argv[0] gives it, if one did."""
    environ = os.environ if environ is None else environ
    invocation = Invocation()
    config = invocation.config
    config.orig_argv = [PROGRAM if launcher is None else launcher] + list(argv)
    if launcher is not None:
        config.launcher = os.path.abspath(launcher)
    optimize_flags = 0
    index = 0
    rest = []
    while index < len(argv):
        arg = argv[index]
        index += 1
        if arg == "--":
            if index < len(argv):
                invocation.filename = argv[index]
                rest = argv[index + 1:]
            break
        if arg in HELP_TEXTS:
            invocation.show_help = HELP_TEXTS[arg]
            continue
        if arg == "--version":
            invocation.show_version += 1
            continue
        if arg == "--check-hash-based-pycs":
            # (As CPython's parser: the value is the next argument only.)
            if index >= len(argv):
                raise UsageError("Argument expected for the --check-hash-based-pycs options")
            mode = argv[index]
            index += 1
            if mode not in ("default", "always", "never"):
                raise UsageError("--check-hash-based-pycs must be one of 'default', "
                                 "'always', or 'never'")
            config.check_hash_pycs_mode = mode
            continue
        if not arg.startswith("-") or arg == "-":
            invocation.filename = arg
            rest = argv[index:]
            break
        if arg.startswith("--"):
            raise UsageError(f"unknown option {arg}")
        position = 1
        stop = False
        while position < len(arg):
            letter = arg[position]
            position += 1
            if letter in WITH_VALUE:
                value = arg[position:]
                if not value:
                    if index >= len(argv):
                        raise UsageError(f"Argument expected for the -{letter} option")
                    value = argv[index]
                    index += 1
                if letter == "c":
                    invocation.command = value
                    rest = argv[index:]
                    stop = True
                elif letter == "m":
                    invocation.module = value
                    rest = argv[index:]
                    stop = True
                elif letter == "W":
                    config.warnoptions.append(value)
                else:
                    name, sep, xvalue = value.partition("=")
                    config.xoptions[name] = xvalue if sep else True
                break
            if letter not in SIMPLE:
                if letter == "J":
                    raise UsageError("-J is reserved for Jython")
                raise UsageError(f"Unknown option: -{letter}")
            _apply_flag(invocation, letter)
            if letter == "O":
                optimize_flags += 1
        if stop:
            break
    config.optimize = max(config.optimize, optimize_flags)
    command_line_warnings = config.warnoptions
    config.warnoptions = []
    _apply_environment(config, environ)
    _apply_xoptions(config)
    _order_warnoptions(config, command_line_warnings)
    _finish_argv(invocation, rest)
    return invocation


def _apply_flag(invocation, letter):
    config = invocation.config
    if letter in "h?":
        invocation.show_help = HELP
    elif letter == "V":
        invocation.show_version += 1
    elif letter == "b":
        config.bytes_warning += 1
    elif letter == "B":
        config.dont_write_bytecode = True
        config.use_code_cache = False
    elif letter == "E":
        config.ignore_environment = True
    elif letter == "i":
        config.inspect = True
        config.interactive = True
    elif letter == "I":
        config.isolated = True
        config.ignore_environment = True
        config.no_user_site = True
        config.safe_path = True
    elif letter == "P":
        config.safe_path = True
    elif letter == "q":
        config.quiet = True
    elif letter == "s":
        config.no_user_site = True
    elif letter == "S":
        config.no_site = True
    elif letter == "u":
        config.unbuffered = True
    elif letter == "v":
        config.verbose += 1
    elif letter == "x":
        invocation.skip_first_line = True
    elif letter == "d":
        # Shown in sys.flags; the parser's debug output is a debug build's only.
        config.debug += 1
    # -R: hash randomisation, which is always on (as in CPython).


def _apply_environment(config, environ):
    if environ.get("GILLESS_CACHE") == "0":
        config.use_code_cache = False
    if config.ignore_environment:
        gil = environ.get("PYTHON_GIL")
        if gil is not None:
            config.gil = gil == "1"
        return

    def flag(name):
        # Set to a non-empty string.
        return bool(environ.get(name))

    def level(name):
        # As CPython's _Py_get_env_flag: a number is the level (0: off), other text is 1.
        value = environ.get(name)
        if not value:
            return 0
        try:
            number = int(value)
        except ValueError:
            return 1
        return number if number >= 0 else 1

    if environ.get("PYTHONPATH"):
        # Absolute, as CPython's getpath makes them: an empty entry is the current
        # directory.
        config.pythonpath = [os.path.abspath(entry)
                             for entry in environ["PYTHONPATH"].split(os.pathsep)]
    config.optimize = max(config.optimize, level("PYTHONOPTIMIZE"))
    config.debug = max(config.debug, level("PYTHONDEBUG"))
    config.dont_write_bytecode |= bool(level("PYTHONDONTWRITEBYTECODE"))
    config.pycache_prefix = environ.get("PYTHONPYCACHEPREFIX") or None
    config.unbuffered |= bool(level("PYTHONUNBUFFERED"))
    config.no_user_site |= bool(level("PYTHONNOUSERSITE"))
    config.safe_path |= flag("PYTHONSAFEPATH")
    # (sys.flags.inspect shows the level.)
    config.inspect = max(config.inspect, level("PYTHONINSPECT"))
    if environ.get("PYTHONWARNINGS"):
        # Split as CPython's wcstok does: empty entries go, spaces stay.
        config.warnoptions = [w for w in environ["PYTHONWARNINGS"].split(",") if w]
    if environ.get("PYTHONDEVMODE"):
        config.dev_mode = True
    # The host has read and checked these as well (it refuses bad values itself).
    config.faulthandler = flag("PYTHONFAULTHANDLER")
    # The name CPython's C code reads (its documentation says PYTHONIMPORTTIME).
    config.import_time = flag("PYTHONPROFILEIMPORTTIME")
    config.warn_default_encoding = flag("PYTHONWARNDEFAULTENCODING")
    if environ.get("PYTHONTRACEMALLOC"):
        config.tracemalloc = _frames("PYTHONTRACEMALLOC", environ["PYTHONTRACEMALLOC"])
    if environ.get("PYTHONINTMAXSTRDIGITS"):
        config.int_max_str_digits = _max_str_digits("PYTHONINTMAXSTRDIGITS",
                                                    environ["PYTHONINTMAXSTRDIGITS"])
    if environ.get("PYTHONUTF8"):
        utf8 = environ["PYTHONUTF8"]
        if utf8 not in ("0", "1"):
            raise FatalError("preconfig_init_utf8_mode: invalid PYTHONUTF8 environment "
                             "variable value", "preinitializing")
        config.utf8_mode = int(utf8)
    gil = environ.get("PYTHON_GIL")
    if gil is not None:
        config.gil = gil == "1"
    if environ.get("PYTHON_RACE"):
        config.race = environ["PYTHON_RACE"] != "0"
    if environ.get("GILLESS_RACE"):
        config.race_options = environ["GILLESS_RACE"]


def _apply_xoptions(config):
    if "gil" in config.xoptions:
        value = config.xoptions["gil"]
        if value not in ("0", "1"):
            raise UsageError("-X gil=N takes 0 or 1")
        config.gil = value == "1"
    xoptions = config.xoptions
    if "dev" in xoptions:
        config.dev_mode = True
    if "faulthandler" in xoptions:
        config.faulthandler = True
    if "importtime" in xoptions:
        config.import_time = True
    if "warn_default_encoding" in xoptions:
        config.warn_default_encoding = True
    if "tracemalloc" in xoptions:
        value = xoptions["tracemalloc"]
        config.tracemalloc = 1 if value is True else _frames("-X tracemalloc=NFRAME", value)
    if "int_max_str_digits" in xoptions:
        config.int_max_str_digits = _max_str_digits("-X int_max_str_digits",
                                                    xoptions["int_max_str_digits"])
    if "utf8" in xoptions:
        value = xoptions["utf8"]
        if value not in (True, "0", "1"):
            raise FatalError("preconfig_init_utf8_mode: invalid -X utf8 option value",
                             "preinitializing")
        config.utf8_mode = 1 if value is True else int(value)
    if "frozen_modules" in xoptions:
        value = xoptions["frozen_modules"]
        if value not in (True, "on", "off"):
            raise FatalError('bad value for option -X frozen_modules (expected "on" or "off")')
        config.frozen_modules = value != "off"
    if "pycache_prefix" in config.xoptions:
        # As CPython: `-X pycache_prefix=` (or no value) cancels the variable.
        value = config.xoptions["pycache_prefix"]
        config.pycache_prefix = value if isinstance(value, str) and value else None
    _apply_race_options(config)
    _apply_schedule_options(config)
    _apply_threadprof_options(config)


def _c_integer(text):
    """What C's wcstol reads whole, as CPython's config_wstr_to_int asks: white space,
    a sign and ASCII digits; an empty text is 0."""
    if not isinstance(text, str):
        return None
    if not text:
        return 0
    number = text.lstrip(" \t\n\v\f\r")
    digits = number[1:] if number[:1] in ("+", "-") else number
    if not (digits.isascii() and digits.isdigit()):
        return None
    return int(number)


def _frames(source, text):
    # CPython's config_init_tracemalloc: a whole number, at least 0.
    frames = _c_integer(text)
    if frames is None or frames < 0:
        raise FatalError(f"config_init_tracemalloc: {source}: invalid number of frames")
    return frames


def _max_str_digits(source, text):
    # CPython's config_init_int_max_str_digits: 0 (no limit) or at least the threshold.
    digits = _c_integer(text)
    if digits is None or (digits != 0 and digits < sys.int_info.str_digits_check_threshold):
        raise FatalError(f"config_init_int_max_str_digits: {source}: invalid limit; "
                         "must be >= 640 or 0 for unlimited.")
    return digits


def _apply_race_options(config):
    """-X race[=OPTIONS], -X race_report=FILE, GILLESS_RACE: parsed here so that a mistake
    is a usage error before anything runs."""
    text = config.race_options if isinstance(config.race_options, str) else ""
    if "race" in config.xoptions:
        value = config.xoptions["race"]
        # (As CPython's -X options that switch something on: any value but 0, none too.)
        config.race = value != "0"
        if isinstance(value, str) and value not in ("0", "1", ""):
            text = f"{text} {value}"
    if "race_report" in config.xoptions:
        value = config.xoptions["race_report"]
        if not isinstance(value, str) or not value:
            raise UsageError("-X race_report=FILE needs a file name")
        config.race = True
        text = f"{text} report={value}"
    if not config.race:
        config.race_options = {}
        return
    if config.gil:
        raise UsageError("-X race cannot be combined with the GIL mode (-X gil=1, PYTHON_GIL=1)")
    from gilless.race import OptionError, parse_options
    try:
        config.race_options = parse_options(text)
    except OptionError as error:
        raise UsageError(f"-X race: {error}") from None


def _apply_schedule_options(config):
    """-X schedule=STRATEGY, -X explore=N, -X replay=FILE, -X replay_file=FILE."""
    # (gilless.schedule.XOPTIONS, spelled out: no start-up imports the explorer.)
    if not config.xoptions.keys() & {"schedule", "explore", "replay", "replay_file"}:
        return
    from gilless.schedule import OptionError, parse_options
    try:
        config.schedule = parse_options(config.xoptions)
    except OptionError as error:
        raise UsageError(str(error)) from None
    if config.schedule is not None and (config.race or config.gil):
        raise UsageError("the schedule explorer (-X schedule, explore, replay) cannot be "
                         "combined with " + ("-X race" if config.race else "the GIL mode"))


def _apply_threadprof_options(config):
    """-X threadprof[=FILE.json], -X threadprof_interval=MS."""
    xoptions = config.xoptions
    if "threadprof" in xoptions:
        value = xoptions["threadprof"]
        config.threadprof = value != "0"
        if isinstance(value, str) and value not in ("0", "1", ""):
            config.threadprof_file = value
    if "threadprof_interval" in xoptions:
        from gilless.threadprof import OptionError, parse_interval
        value = xoptions["threadprof_interval"]
        try:
            config.threadprof_interval = parse_interval(value if isinstance(value, str) else "")
        except OptionError as error:
            raise UsageError(f"-X threadprof_interval: {error}") from None
    if not config.threadprof:
        return
    if config.gil:
        raise UsageError("-X threadprof cannot be combined with the GIL mode (-X gil=1, "
                         "PYTHON_GIL=1)")
    if config.race or config.schedule:
        raise UsageError("-X threadprof cannot be combined with "
                         + ("-X race" if config.race else "the schedule explorer")
                         + ": one tool at a time")


def _order_warnoptions(config, command_line_warnings):
    """sys.warnoptions in CPython's order: the later entry wins, so the lowest priority
    comes first: -X dev, PYTHONWARNINGS, -W options, then -b/-bb."""
    options = ["default"] if config.dev_mode else []
    options += config.warnoptions
    options += command_line_warnings
    if config.bytes_warning:
        options.append("error::BytesWarning" if config.bytes_warning > 1
                       else "default::BytesWarning")
    config.warnoptions = options


def _finish_argv(invocation, rest):
    config = invocation.config
    if invocation.command is not None:
        config.argv = ["-c"] + list(rest)
    elif invocation.module is not None:
        config.argv = ["-m"] + list(rest)
    elif invocation.filename is not None:
        config.argv = [invocation.filename] + list(rest)
    else:
        config.argv = [""]
