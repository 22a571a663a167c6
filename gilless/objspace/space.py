"""A guest world: its sys, builtins and module table, bootstrapped and ready to run code.

One `Space` is active in a process (`activate`), once: the host's standard
streams and the import fast path serve it, through the world state that
activation installs (`gilless.base.state`).
"""

import sys as host_sys

from gilless.base import hoststack, state
from gilless.base.hostbuild import CRASHES_ON_SHARING
from gilless.base.hostcompile import compile_source
from gilless.base.hosttypes import ModuleType, TracebackType
from gilless.compiler import CodeCache, CompileOptions, compile_guest, generatorguard
from gilless.module import BuiltinModules, hostmodules, syshostview, sysmodule
from gilless.objspace import importing
from gilless.objspace.config import Config
from gilless.objspace.tracebacks import display_guest_exception


class Space:
    def __init__(self, config=None):
        self.config = config or Config()
        # The GIL mode never runs two threads' guest code at once: no generator race.
        self.compile_options = CompileOptions(gil=self.config.gil,
                                              optimize=self.config.optimize,
                                              accesses=("race" if self.config.race else
                                                        "schedule" if self.config.schedule
                                                        else False),
                                              guard_generators=(generatorguard.NEEDED
                                                                and not self.config.gil))
        self.code_cache = CodeCache(write=self.config.use_code_cache)
        self.gil = None
        if self.config.gil:
            from gilless.concurrency.gilmode import GIL
            self.gil = GIL()
        # The tool that watches guest code, if one was asked for: it patches built-in
        # modules as they are made, starts before guest code runs, hears of each module
        # executed, and has the last word on the exit status.
        self.tool = None
        if self.config.race:
            from gilless.race import RaceMode
            self.tool = RaceMode(self.config.race_options)
        elif self.config.schedule:
            from gilless.schedule import ScheduleMode
            self.tool = ScheduleMode(self.config.schedule)
        elif self.config.threadprof:
            from gilless.threadprof import DEFAULT_INTERVAL, ThreadProfMode
            self.tool = ThreadProfMode(self.config.threadprof_file,
                                       self.config.threadprof_interval or DEFAULT_INTERVAL)
        # Where generators are guarded, the module of the guard, and that of the guard
        # against the host's other crashes when threads share a C object (the host is the
        # same: free-threaded, before 3.15): they patch built-in modules as they are
        # made, as the GIL mode and the tools do. The schedule explorer runs one thread
        # at a time, as a GIL does: no crash guard there, so that the C code's
        # interleavings are CPython's.
        self.generator_guard = self.crash_guard = None
        if self.compile_options.guard_generators:
            from gilless.concurrency import generators
            self.generator_guard = generators
            if not self.config.schedule:
                from gilless.concurrency import hostcrashes
                self.crash_guard = hostcrashes
        # The GIL mode needs no crash guard but the one of its threads' ends (see
        # hostcrashes.guard_thread_starters), on the same hosts.
        self.thread_guard = None
        if self.config.gil and CRASHES_ON_SHARING:
            from gilless.concurrency import hostcrashes
            self.thread_guard = hostcrashes.guard_thread_starters
        # Threads that share a `sqlite3` cursor crash any host where they run at once.
        self.sqlite_guard = None if self.config.gil or self.config.schedule else _guard_sqlite
        self.modules = {}
        self.builtin_modules = BuiltinModules(self)
        self.guest_import = importing.guest_import
        self.builtins = self.builtin_modules.create("builtins")
        if self.generator_guard is not None:
            self.generator_guard.add_guard_names(self.builtins.__dict__)
        self.sys = self.builtin_modules.create("sys")
        self.modules["sys"] = self.sys
        self.modules["builtins"] = self.builtins
        self.source_loader_class = None
        # The guest's basic REPL, which the command line provides (see base_repl).
        self.repl = None

    # -- set-up ---------------------------------------------------------------

    def activate(self):
        """Make this world the process's guest world and build its import system."""
        hoststack.install()
        if self.compile_options.guard_generators:
            from gilless.concurrency.generators import follow_callers
            follow_callers()
        if hasattr(host_sys, "monitoring"):
            # Hosts from 3.12.
            from gilless.module import sysmonitoring
            sysmonitoring.install()
        for name in ("stdin", "stdout", "stderr"):
            setattr(self.sys, name, syshostview.host_stream(name))
        for name in ("__stdin__", "__stdout__", "__stderr__"):
            self.sys.__dict__[name] = getattr(host_sys, name)
        self.sys.displayhook = self.sys.__displayhook__
        bootstrap = importing.load_bootstrap(self)
        state.install(modules=self.modules, builtin_modules=self.builtin_modules,
                      sys_namespace=self.sys.__dict__,
                      builtins_namespace=self.builtins.__dict__,
                      compile_options=self.compile_options, bootstrap=bootstrap)
        syshostview.install()
        hostmodules.show_guest_modules_to_whichmodule()
        importing.enter_program_modules(bootstrap)
        if self.config.import_time:
            from gilless.objspace import importtime
            state.world.find_and_load = importtime.timed(state.world.find_and_load)
        # CPython's builtins_copy: what the exit restores before modules are cleared.
        self.builtins_copy = dict(self.builtins.__dict__)
        if self.tool is not None:
            # Before any guest code runs on threads: the import system takes guest locks.
            self.tool.start(self)
        importing.install(self, bootstrap)
        if self.tool is not None and self.tool.pytest_plugin is not None:
            # Where the guest's pytest finds the tool's plugin, in any environment.
            from gilless.objspace import pytestplugin
            pytestplugin.install(self, *self.tool.pytest_plugin)
        hostmodules.install_standard_codecs()
        if self.gil is not None:
            self.gil.start(self)
        return self

    def new_module(self, name, doc=None):
        module = ModuleType(name, doc)
        module.__builtins__ = self.builtins.__dict__
        return module

    def import_module(self, name):
        """The guest module `name` itself (an `import a.b` statement would give `a`)."""
        self.guest_import(name)
        return self.modules[name]

    def frozen_code(self, name, found):
        """The code of the module the host freezes as `name`, in this world's mode
        (`found`: the host's `find_frozen(name)`)."""
        return importing.frozen_code(self, name, found)

    def run_site(self):
        if not self.config.no_site:
            self.import_module("site")

    # -- running code ---------------------------------------------------------

    def compile(self, source, filename, mode="exec", flags=0):
        return compile_guest(source, filename, mode, flags, self.compile_options)

    def exec_main(self, code, namespace):
        """Run the main program's code as CPython does: the bottom of the main thread's
        stack, its depth counted as CPython counts it."""
        if not hoststack.gives_bottom_levels():
            sysmodule.set_recursion_offset(_stack_used_under_main(frames_above_exec=0))
        sysmodule.set_main_base_frame(host_sys._getframe(1))
        hoststack.call_at_bottom(exec, code, namespace)

    def add_main_module(self):
        """CPython's add_main_module: `__main__`, made as the interpreter starts, before
        `site` runs (so it comes before `site`'s modules in the module table), and
        the module the program then runs in."""
        main = ModuleType("__main__")
        # CPython's interpreter start-up gives __main__ an empty __annotations__.
        main.__annotations__ = {}
        main.__builtins__ = self.builtins
        main.__loader__ = self.modules["_frozen_importlib"].BuiltinImporter
        main.__spec__ = None
        main.__package__ = None
        self.modules["__main__"] = main
        return main

    def main_module(self):
        """The module CPython runs a program in (PyImport_AddModule's): the `__main__`
        of the module table, or a new one where the table holds no module of that
        name; its code run from our caller."""
        # Our caller usually execs the program (exec_main measures exactly).
        if not hoststack.gives_bottom_levels():
            sysmodule.set_recursion_offset(_stack_used_under_main(frames_above_exec=1))
        sysmodule.set_main_base_frame(host_sys._getframe(1))
        main = self.modules.get("__main__")
        if not issubclass(type(main), ModuleType):
            main = self.add_main_module()
        return main

    # -- hooks the guest sees in sys ------------------------------------------

    def displayhook(self, value):
        if value is None:
            return
        builtins = self.builtins
        builtins._ = None
        stdout = vars(self.sys).get("stdout")
        if stdout is None:
            raise RuntimeError("lost sys.stdout")
        text = repr(value)
        try:
            stdout.write(text)
        except UnicodeEncodeError:
            encoding = getattr(stdout, "encoding", None) or "utf-8"
            stdout.write(text.encode(encoding, "backslashreplace").decode(encoding, "strict"))
        stdout.write("\n")
        builtins._ = value

    def base_repl(self):
        """The guest's `sys._baserepl` (3.13): the basic REPL on standard input, which
        the new REPL falls back to."""
        if self.repl is None:
            raise RuntimeError("this guest world has no interactive prompt")
        return self.repl()

    def excepthook(self, exc_type, exc_value, exc_tb):
        if not isinstance(exc_value, BaseException):
            # The host's display reports a value that is no exception in its version's
            # words, on the host's stand-in for the guest's sys.stderr.
            host_sys.__excepthook__(exc_type, exc_value, exc_tb)
            return
        # A traceback that is no traceback is left out, as CPython's display does.
        if isinstance(exc_tb, TracebackType):
            exc_value = exc_value.with_traceback(exc_tb)
        display_guest_exception(vars(self.sys), exc_value)


def _guard_sqlite(module):
    """The guest's copy of `_sqlite3`, guarded (imported with it, not at start-up)."""
    from gilless.concurrency import sqliteguard
    sqliteguard.patch_module(module)


def _headroom():
    """How many more nested calls the calling frame can make before RecursionError:
    read from the thread's count where the host's layout is known (0.1 ms less for
    each probe), else found by recursing until RecursionError."""
    left = hoststack.levels_left()
    if left is None:
        # (What the recursion finds is this frame's: one level fewer than the caller's.)
        left = _recursed_headroom()
    return left + 1


def _recursed_headroom():
    try:
        return _recursed_headroom() + 1
    except RecursionError:
        return 1


_HEADROOM_THROUGH_EXEC = compile_source("_headroom()", "<gilless probe>", "eval")


def _stack_used_under_main(frames_above_exec):
    """Stack levels (as the host's recursion limit counts them) that gilless
    uses beneath the `__main__` frame that will be exec'd from the frame
    `frames_above_exec` levels above our caller.

    Measured rather than counted from frames, because hosts differ in what a
    C-to-Python entry costs. The probe runs through `eval` as the program
    will through `exec`, both started by `call_at_bottom`, from this frame:
    one level (this function) deeper than our caller.
    """
    # The same call path costs the same: measured once (the REPL runs each statement).
    path = [frames_above_exec]
    frame = host_sys._getframe(1)
    while frame is not None:
        path.append(frame.f_code)
        frame = frame.f_back
    path = tuple(path)
    used = _stack_used_by_path.get(path)
    if used is None:
        probe = hoststack.call_at_bottom(eval, _HEADROOM_THROUGH_EXEC, {"_headroom": _headroom})
        headroom_in_main = probe + 1 + frames_above_exec
        # CPython's __main__ frame sits one level deep. (Measured with the levels already
        # given to this thread for an earlier path, or the host's limit raised.)
        used = host_sys.getrecursionlimit() + sysmodule.levels_given() - 1 - headroom_in_main
        _stack_used_by_path[path] = used
    return used


_stack_used_by_path = {}
