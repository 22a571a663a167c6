"""Guest threads under gilless, in the default mode and the GIL mode (`-X gil=1`).

Every program in programs/ checks its own invariants (exact counts, one
execution per module, no lost update) and prints a deterministic summary;
each runs under gilless in both modes and under the host CPython, and all
must agree on stdout, stderr and exit status. Every run has a timeout, so
a hang fails the test instead of stalling the suite.
"""

import pathlib
import signal
import subprocess
import sys
import sysconfig
import time

import pytest

from conftest import GILLESS, HOST_PYTHON, child_env, run_cpython, run_gilless

PROGRAMS_DIR = pathlib.Path(__file__).parent / "programs"
PROGRAMS = ["shared_containers", "class_mutation", "generators_shared", "concurrent_imports",
            "stdlib_threading", "exceptions_in_threads", "exit_waits", "gil_progress",
            "errors_from_waits", "blocking_io", "mutation_during_iteration",
            "thread_module_builtins", "switch_interval", "current_frames",
            "gil_switch_unseen"]
MODES = {"default": [], "gil": ["-X", "gil=1"]}
# Free-threaded CPython before 3.15 itself can crash when two threads advance one
# generator at the same moment (gilless guards its generators there): it cannot be the
# oracle of these programs, which check themselves and print what CPython would.
HOST_GENERATORS_RACE = (bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
                        and sys.version_info < (3, 15))
# What iterators_contended.py prints (see SELF_CHECKED).
ITERATORS_DRAINED = ("product: 64000 items, 64000 distinct\n"
                     "permutations: 11880 items, 11880 distinct\n"
                     "combinations: 34220 items, 34220 distinct\n"
                     "combinations_with_replacement: 22100 items, 22100 distinct\n"
                     "pairwise: 59999 items, 59999 distinct\n"
                     "zip_longest: 60000 items, 60000 distinct\n"
                     "accumulate: 60000 items, 60000 distinct\n"
                     "accumulate with operator.xor: 29999 items, 15001 distinct\n"
                     "pairwise of a Python iterator: drained\n"
                     "accumulate with a Python function: drained\n"
                     "tee, one iterator each: [4999950000, 4999950000]\n"
                     "tee, one iterator for all: 60000 items, 60000 distinct\n"
                     "groupby: 30000 keys, 30000 distinct\n"
                     "cycle: {'a': 40000, 'b': 40000, 'c': 40000}\n"
                     "csv.reader: 60000 rows, 60000 distinct, line 60000\n")
SELF_CHECKED = {"generators_drained": "drained exactly once: 20000\n",
                "generators_looped": "a global: drained exactly once\n"
                                     "a list's item: drained exactly once\n"
                                     "an attribute: drained exactly once\n"
                                     "given to a function named list: drained exactly "
                                     "once\n"
                                     "a generator expression given to a function named "
                                     "sum: drained exactly once\n"
                                     "given to a function named enumerate: drained "
                                     "exactly once\n"
                                     "kept by a built-in named otherwise: drained exactly "
                                     "once\n"
                                     "each thread's own loops: all values\n",
                "generators_contended": "rounds without a crash: 30\n"
                                        "delegated rounds without a crash: 30\n",
                # (And so can heapq and the JSON encoder on containers threads change,
                # and some itertools objects and csv readers that threads advance at
                # once.)
                "c_functions_contended": "heapq without a crash\njson without a crash\n",
                "iterators_contended": ITERATORS_DRAINED,
                # (And so does an OrderedDict that threads change and read.)
                "ordered_dict_contended": "own keys: True [(147, 1520505), (147, 1520505), "
                                          "(147, 1520505), (147, 1520505)]\n"
                                          "shared keys: True True\n"
                                          "readers and writers: True []\n",
                # (And so does taking a thread's profile or trace function away from
                # another thread.)
                "tracing_contended": "set and unset for all threads without a crash: "
                                     "300 rounds\n",
                # (And so does setting a function for all threads while threads end.)
                "tracing_threads_ending": "threads ended while a profile function was set "
                                          "for all threads: 300 rounds\n",
                # (And so does cProfile's profiler while threads run.)
                "profiler_contended": "profiled while threads ran, without a crash\n"}
# Programs that crash every CPython, checking themselves: what gilless prints.
CRASHING_CPYTHON = {
    # A cursor or connection of sqlite3 that threads share.
    "sqlite_shared": "shared cursor: 9000 True []\n"
                     "shared connection: 3050 False []\n"
                     "shared iteration: 20000 True\n"
                     "shared transactions: 1050 []\n"}
TIMEOUT = 60


def gilless(*args):
    return run_gilless(*args, cwd=PROGRAMS_DIR, timeout=TIMEOUT)


def cpython(*args):
    return run_cpython(*args, cwd=PROGRAMS_DIR, timeout=TIMEOUT)


def _host_output(program):
    if program in CRASHING_CPYTHON:
        return subprocess.CompletedProcess([], 0, CRASHING_CPYTHON[program], "")
    if program in SELF_CHECKED and HOST_GENERATORS_RACE:
        return subprocess.CompletedProcess([], 0, SELF_CHECKED[program], "")
    expected = cpython(f"{program}.py")
    assert expected.returncode == 0, expected.stderr
    return expected


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("program", PROGRAMS + list(SELF_CHECKED) + list(CRASHING_CPYTHON))
def test_program_same_as_cpython(program, mode):
    expected = _host_output(program)
    actual = gilless(*MODES[mode], f"{program}.py")
    assert "internal error" not in actual.stderr
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)


def _interrupted_run(command, kind):
    """Start interrupt_main.py, send SIGINT once it waits, return (stdout, stderr, status)."""
    process = subprocess.Popen(command + ["interrupt_main.py", kind], cwd=PROGRAMS_DIR,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=child_env())
    try:
        assert process.stdout.readline() == "waiting\n"
        # The wait starts right after the line is printed; give it time to block.
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
    return "waiting\n" + stdout, stderr, process.returncode


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", ["join", "lock", "event", "queue", "uncaught"])
def test_ctrl_c_in_main_thread_while_waiting(kind, mode):
    expected = _interrupted_run([HOST_PYTHON], kind)
    actual = _interrupted_run(GILLESS + MODES[mode], kind)
    assert actual == expected


def test_concurrent_processes_share_the_compile_cache(tmp_path):
    """Several gilless processes fill one empty cache at once; all succeed, no
    partial entry is left, and a second round runs from the cache."""
    env = {"GILLESS_CACHE_DIR": str(tmp_path / "cache")}
    command = GILLESS + ["concurrent_imports.py"]
    for _ in range(2):
        processes = [subprocess.Popen(command, cwd=PROGRAMS_DIR, env=child_env(env), text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                     for _ in range(4)]
        outputs = [p.communicate(timeout=TIMEOUT) + (p.returncode,) for p in processes]
        assert all(output == outputs[0] for output in outputs)
        assert outputs[0][2] == 0 and outputs[0][1] == ""
    entries = list((tmp_path / "cache").rglob("*"))
    assert any(e.name.endswith(".code") for e in entries)
    assert not [e for e in entries if e.name.endswith(".tmp")]


GUEST_RUNS_UNDER_THE_GIL = r'''
import queue, threading, time
failures = []
def check(where):
    if not holds_gil():
        failures.append(where)
def worker(q):
    for i in range(2000):
        check("loop")
        if i % 500 == 0:
            time.sleep(0.001)
            check("after sleep")
    with lock:
        check("in lock")
    q.put(1)
    check("after put")
lock = threading.Lock()
q = queue.Queue()
threads = [threading.Thread(target=worker, args=(q,)) for _ in range(4)]
for t in threads: t.start()
for _ in threads: q.get(); check("after get")
for t in threads: t.join()
check("after join")
'''


def test_gil_mode_never_interrupts_a_loop_body():
    result = gilless(*MODES["gil"], "gil_exclusive.py")
    assert (result.stdout, result.stderr, result.returncode) == ("counter 400000 of 400000\n", "", 0)


def test_gil_mode_runs_guest_code_only_under_the_gil():
    script = f"""
from gilless.concurrency import gil
from gilless.objspace.config import Config
from gilless.objspace.space import Space
space = Space(Config(gil=True)).activate()
main = space.main_module()
main.holds_gil = gil.holds_gil
exec(space.compile({GUEST_RUNS_UNDER_THE_GIL!r}, "<guest>"), main.__dict__)
print(main.failures, gil.holds_gil())
"""
    result = cpython("-c", script)
    assert (result.stdout, result.stderr) == ("[] True\n", "")
