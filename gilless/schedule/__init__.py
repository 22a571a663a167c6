"""The schedule explorer: controlled runs, exploration, exact replay, deadlocks.

    gilless -X schedule=STRATEGY PROG     one run under the scheduler
    gilless -X explore=N PROG             up to N runs, each under another schedule,
                                          until one fails
    gilless -X replay=FILE PROG           the schedule recorded in FILE again

The program is compiled with the access events (as under the race
detector) and its `_thread`, `_queue` and `time` are the scheduler's
(`primitives`): its threads take turns at the points `scheduler` describes,
as the strategy (`strategies`) decides. A run fails when it exits with a
non-zero status, when an exception ends one of its threads (what reaches
`threading.excepthook`), or when every thread waits for another
(a deadlock, reported with each thread's stack, exit status 2).

Exploration forks a fresh process for each run from one that has started
up already, so a run costs the program, not gilless's start-up; each run's
output is kept and shown only for the failing one, whose schedule is
written to the replay file (`-X replay_file=FILE`, default
`gilless-schedule.json`). Hashing is made deterministic (PYTHONHASHSEED=0
unless set), since a set's order decides what a program does.
"""

import json
import os
import sys as host_sys

from gilless.module import syshostview
from gilless.schedule.recording import FORMAT, OptionError, read_replay_file, write_replay_file

EXIT_DEADLOCK = 2
XOPTIONS = ("schedule", "explore", "replay", "replay_file")
# The pytest plugin: its entry point's name (`-p no:gilless-schedule`), its module's name
# in the guest, its file.
PYTEST_PLUGIN = ("gilless-schedule", "_gilless_schedule_pytest",
                 os.path.join(os.path.dirname(__file__), "pytest_plugin.py"))


def parse_options(xoptions):
    """The explorer's settings from -X schedule=, explore=, replay=, replay_file=; None
    when none is given."""
    given = {name: xoptions[name] for name in XOPTIONS if name in xoptions}
    if not given:
        return None
    for name, value in given.items():
        if not isinstance(value, str) or not value:
            raise OptionError(f"-X {name} needs a value ({_USAGE[name]})")
    options = {"strategy": given.get("schedule"), "runs": None,
               "replay": given.get("replay"), "replay_file": given.get("replay_file")}
    if "explore" in given:
        if not given["explore"].isdigit() or int(given["explore"]) < 1:
            raise OptionError(f"-X explore=N takes a number of runs, not {given['explore']!r}")
        options["runs"] = int(given["explore"])
    if options["replay"] and (options["runs"] or options["strategy"]):
        raise OptionError("-X replay=FILE replays one schedule: it cannot be combined "
                          "with -X explore or -X schedule")
    from gilless.schedule import strategies
    try:
        strategies.parse(options["strategy"] or "pct")
    except strategies.StrategyError as error:
        raise OptionError(f"-X schedule: {error}") from None
    if options["replay"]:
        options["recording"] = read_replay_file(options["replay"])
    return options


_USAGE = {"schedule": "-X schedule=STRATEGY, e.g. random:1 or pct:1:3",
          "explore": "-X explore=N", "replay": "-X replay=FILE",
          "replay_file": "-X replay_file=FILE"}


class ScheduleMode:
    """What the guest world calls to run under the scheduler (see Space and run.finish)."""

    def __init__(self, options):
        self.options = options
        self.guest_modules = {"_gilless_schedule": self.guest_module}
        # Its pytest plugin, which the guest's pytest finds (gilless.objspace.pytestplugin).
        self.pytest_plugin = PYTEST_PLUGIN
        # Under pytest each test's call is explored or replayed, not the whole session.
        self.per_test = False
        self._before_stop = None
        self.failures = []
        self.strategy = None
        # The pipe a run of an exploration reports through.
        self.result_fd = None
        # A run of an exploration ends without the host's finalization (see shutdown).
        self.skips_host_exit = False

    # -- set-up --

    def patch_module(self, name, module):
        from gilless.schedule import primitives
        if name == "_thread":
            from gilless.concurrency import gil
            gil.prepare_thread_reports()
            primitives.report_thread_exception = gil.report_thread_exception
            primitives.on_thread_exception = self._thread_failed
            primitives.patch_thread_module(module)
        elif name == "_queue":
            primitives.patch_queue_module(module)
        elif name == "time":
            primitives.patch_time_module(module)
        elif name == "marshal":
            from gilless import instrument
            instrument.patch_marshal_module(module)
        elif name == "_warnings":
            from gilless import instrument
            instrument.patch_warnings_module(module)
        primitives.patch_outside_calls(name, module)

    def start(self, space):
        self.space = space
        from gilless import instrument, lockorder
        from gilless.schedule import primitives, scheduler
        lockorder.start(self._inversion, scheduler.calling_thread)
        primitives.locks = lockorder
        instrument.install(scheduler)

    def module_executed(self, name):
        pass

    def before_main(self, space, invocation):
        """Run the program here (None), or explore and return the exit status."""
        if invocation.module in ("pytest", "py.test"):
            # The plugin (gilless.schedule.pytest_plugin) takes each test in turn.
            self.per_test = True
            return None
        if self.options["runs"]:
            from gilless.schedule import explore
            return explore.explore(self, space, program_from_stdin=not invocation.runs_code)
        self.begin(self._single_run_strategy())
        return None

    def _single_run_strategy(self):
        """The recorded schedule under -X replay, else the strategy of -X schedule."""
        from gilless.schedule import strategies
        if self.options["replay"]:
            return strategies.Replay(self.options["recording"]["schedule"],
                                     self._replay_mismatch)
        return strategies.parse(self.options["strategy"] or "pct")

    def begin(self, strategy):
        from gilless.schedule import scheduler
        self.strategy = strategy
        self.failures = []
        scheduler.start(strategy, self._deadlock)

    # -- failures --

    def _thread_failed(self, thread, error):
        from gilless.schedule.report import exception_text
        self.failures.append(f"exception in {thread.describe()}: {exception_text(error)}")

    def _inversion(self, inversion):
        """A lock-order inversion: reported as found, and the run fails (a potential
        deadlock, whether or not this schedule deadlocked)."""
        try:
            host_sys.__stderr__.write(inversion.format())
            host_sys.__stderr__.flush()
        except Exception:
            pass
        self.failures.append("lock-order inversion (potential deadlock)")

    def _replay_mismatch(self, text):
        path = self.options["replay"]
        self._stop_run(f"gilless: the schedule in {path} no longer fits the program: "
                       f"{text}\n", status=EXIT_DEADLOCK, failure=None)

    def _deadlock(self, me, blocked):
        from gilless.schedule import report
        text = report.format_deadlock(me, blocked)
        self._stop_run(text, status=EXIT_DEADLOCK, failure="deadlock")

    def _stop_run(self, text, status, failure):
        """End the run now (its threads cannot be unwound): report, flush, exit."""
        from gilless.schedule import scheduler
        scheduler.active = False
        if self._before_stop is not None:
            try:
                self._before_stop()
            except Exception:
                pass
        syshostview.flush_host_streams()
        try:
            host_sys.__stderr__.write(text)
            host_sys.__stderr__.flush()
        except Exception:
            pass
        if failure is not None:
            self.failures.append(failure)
        self._send_result(status)
        self._write_recording(status)
        syshostview.exit_now(status)

    # -- the end of a run --

    def finish(self, status):
        from gilless.schedule import scheduler
        if self.strategy is None or (self.per_test and self.result_fd is None):
            return status
        scheduler.stop()
        if self.failures and status == 0:
            status = 1
        self._send_result(status)
        self._write_recording(status)
        return status

    def recording(self, status):
        from gilless.schedule import scheduler
        return {"format": FORMAT, "strategy": self.strategy.spec(),
                "host": host_sys.version.split()[0], "status": status,
                "failures": self.failures, "steps": scheduler.steps(),
                "threads": scheduler.thread_count(), "schedule": scheduler.segments()}

    def _send_result(self, status):
        if self.result_fd is None:
            return
        result = self.recording(status)
        result["decisions"] = self.strategy.result()
        result["modules"] = _standard_modules(self.space)
        data = json.dumps(result).encode()
        fd, self.result_fd = self.result_fd, None
        while data:
            data = data[os.write(fd, data):]
        os.close(fd)

    def _write_recording(self, status):
        """A single controlled run records its schedule when asked to."""
        path = self.options["replay_file"]
        if path and not self.options["runs"] and not self.options["replay"]:
            try:
                write_replay_file(path, self.recording(status), command=None)
            except OSError as error:
                host_sys.stderr.write(f"gilless: schedule: cannot write {path}: "
                                      f"{error.strerror}\n")

    # -- what the guest's pytest plugin calls --

    def guest_module(self):
        """`_gilless_schedule`: a test's call explored, replayed or run under the scheduler."""
        import types
        module = types.ModuleType("_gilless_schedule", "The gilless schedule explorer, as "
                                  "the guest's pytest plugin sees it.")
        module.mode = self.test_mode
        module.explore_call = self.explore_call
        module.controlled_call = self.controlled_call
        return module

    def test_mode(self):
        """"explore", "replay" or "run" for each test's call; None outside pytest."""
        if not self.per_test:
            return None
        if self.options["runs"]:
            return "explore"
        return "replay" if self.options["replay"] else "run"

    def explore_call(self, function, test_id):
        """Explore `function` (a test's call); the failure's text, or None."""
        from gilless.schedule import explore
        return explore.explore_call(self, function, test_id)

    def controlled_call(self, function, before_stop=None):
        """`function` once under the scheduler, the recorded schedule or the strategy: what
        failed in its threads (an exception that ended one), or None. `before_stop` is
        called before a deadlock or a schedule that no longer fits ends the process (the
        plugin lets pytest's capture go, so that the reason is seen)."""
        from gilless.schedule import scheduler
        self.begin(self._single_run_strategy())
        self._before_stop = before_stop
        try:
            function()
        finally:
            self._before_stop = None
            scheduler.stop()
        return "; ".join(self.failures) or None


def _standard_modules(space):
    """The names of the modules the run has imported that are not the program's own (the
    standard library's, installed packages'), in order."""
    from gilless.schedule import scheduler
    names = []
    for name, module in list(space.modules.items()):
        filename = getattr(module, "__file__", None)
        if name != "__main__" and (filename is None or not scheduler.is_own_file(filename)):
            names.append(name)
    return names
