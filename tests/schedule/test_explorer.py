"""The schedule explorer: controlled runs, exploration, replay, deadlocks, options.

The programs are in programs/: `bug_*` each have a concurrency bug that
only some interleavings show, `ok_*` are correct under every interleaving.
"""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import run_cpython, run_gilless

HERE = Path(__file__).parent
PROGRAMS = HERE / "programs"
BUGGY = sorted(PROGRAMS.glob("bug_*.py"))
CORRECT = sorted(PROGRAMS.glob("ok_*.py"))
# What each buggy program's failing run says (in the explorer's summary line).
SYMPTOMS = {
    "bug_lost_update": "AssertionError: lost update",
    "bug_lost_update_global": "AssertionError: lost update of a variable",
    "bug_check_then_act": "AssertionError: computed 2 times",
    "bug_lazy_singleton": "AssertionError: 2 instances",
    "bug_publication_order": "AssertionError: read the data before it was published",
    "bug_lost_wakeup": "DEADLOCK",
    "bug_lock_order_deadlock": "WARNING: POTENTIAL DEADLOCK: lock-order inversion",
    "bug_join_under_lock": "DEADLOCK: every thread is waiting",
    "bug_iteration_under_mutation": "RuntimeError: dictionary changed size during iteration",
    "bug_shared_generator": "ValueError: generator already executing",
}


def explore(program, runs, tmp_path, *options):
    replay_file = tmp_path / "schedule.json"
    result = run_gilless("-X", f"explore={runs}", "-X", f"replay_file={replay_file}",
                         *options, str(program), cwd=tmp_path)
    return result, replay_file


def replay(program, replay_file, tmp_path):
    return run_gilless("-X", f"replay={replay_file}", str(program), cwd=tmp_path)


def test_every_buggy_program_has_a_symptom():
    assert sorted(SYMPTOMS) == [path.stem for path in BUGGY]


@pytest.mark.parametrize("program", BUGGY, ids=lambda path: path.stem)
def test_exploration_finds_the_bug_and_replay_reproduces_it(program, tmp_path):
    result, replay_file = explore(program, 200, tmp_path)
    assert result.returncode != 0, result.stderr
    assert SYMPTOMS[program.stem] in result.stderr
    assert "failed" in result.stderr and f"-X replay={replay_file}" in result.stderr
    recording = json.loads(replay_file.read_text())
    assert recording["format"] == 1 and recording["schedule"]
    # The command the explorer prints, run twice: the same failure, the same output.
    outcomes = set()
    for _ in range(2):
        again = replay(program, replay_file, tmp_path)
        assert again.returncode == result.returncode
        assert SYMPTOMS[program.stem] in again.stderr
        outcomes.add((again.returncode, again.stdout, again.stderr))
    assert len(outcomes) == 1


@pytest.mark.parametrize("program", CORRECT, ids=lambda path: path.stem)
def test_correct_programs_never_fail(program, tmp_path):
    result, replay_file = explore(program, 60, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "explored 60 run(s)" in result.stderr and "no failure" in result.stderr
    assert not replay_file.exists()


def test_a_controlled_run_prints_what_the_program_prints(tmp_path):
    result = run_gilless("-X", "schedule=random:4", str(PROGRAMS / "ok_queue_sentinel.py"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0, 1, 4, 100, 121, 144]\n"
    assert result.stderr == ""


def test_random_strategy_is_a_walk_over_interleavings():
    outputs = {run_gilless("-X", f"schedule=random:{seed}",
                           str(PROGRAMS / "interleaving.py")).stdout for seed in range(6)}
    assert len(outputs) > 2


def test_each_strategy_and_seed_gives_the_recorded_interleaving():
    """The interleavings were recorded once; every host gilless supports gives them."""
    for line in (HERE / "interleavings.txt").read_text().splitlines():
        strategy, expected = line.split(" ", 1)
        result = run_gilless("-X", f"schedule={strategy}", str(PROGRAMS / "interleaving.py"))
        assert result.stdout.strip() == expected, strategy


def test_depth_first_search_ends_when_every_schedule_is_tried(tmp_path):
    result, _ = explore(PROGRAMS / "ok_lock.py", 2000, tmp_path, "-X", "schedule=dfs:1")
    assert result.returncode == 0, result.stderr
    assert "the search is complete" in result.stderr
    runs = int(result.stderr.split("explored ")[1].split(" ")[0])
    distinct = int(result.stderr.split("run(s), ")[1].split(" ")[0])
    assert runs == distinct > 1


def test_depth_first_search_finds_a_lost_update(tmp_path):
    result, replay_file = explore(PROGRAMS / "bug_lost_update.py", 500, tmp_path,
                                  "-X", "schedule=dfs")
    assert result.returncode == 1 and "lost update" in result.stderr
    assert "lost update" in replay(PROGRAMS / "bug_lost_update.py", replay_file,
                                   tmp_path).stderr


LOCAL_UPDATES = """\
import threading


class Counter:
    def __init__(self):
        self.value = 0


def work(counter, cells):
    counter.value += 1
    cells[0] += 1


counter, cells = Counter(), [0]
threads = [threading.Thread(target=work, args=(counter, cells)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert (counter.value, cells[0]) == (2, 2), f"lost update: {counter.value}, {cells[0]}"
"""


def test_depth_first_search_finds_lost_updates_through_local_variables(tmp_path):
    # (The race detector hears of `counter.value += 1` and `cells[0] += 1` through a
    # local variable as one event after the store; the explorer needs a point between
    # the read and the write, where the update is lost.)
    program = tmp_path / "local_updates.py"
    program.write_text(LOCAL_UPDATES)
    result, _ = explore(program, 500, tmp_path, "-X", "schedule=dfs")
    assert result.returncode == 1 and "lost update" in result.stderr, result.stderr


def test_a_recorded_schedule_survives_unrelated_lines(tmp_path):
    program = tmp_path / "lost.py"
    shutil.copy(PROGRAMS / "bug_lost_update.py", program)
    result, replay_file = explore(program, 200, tmp_path)
    assert result.returncode == 1
    source = program.read_text()
    # A comment, a blank line and a statement no thread's points see, above everything.
    program.write_text("# A new first line.\n\nVERSION = 2\n" + source)
    again = replay(program, replay_file, tmp_path)
    assert again.returncode == 1 and "lost update" in again.stderr, again.stderr
    assert "no longer fits" not in again.stderr


def test_a_schedule_that_no_longer_fits_says_so(tmp_path):
    program = tmp_path / "lost.py"
    shutil.copy(PROGRAMS / "bug_lost_update.py", program)
    result, replay_file = explore(program, 200, tmp_path)
    assert result.returncode == 1
    # Now the workers do something else entirely.
    program.write_text(program.read_text().replace("counter.value += 1",
                                                   "counter.total = 1"))
    again = replay(program, replay_file, tmp_path)
    assert again.returncode == 2
    assert f"the schedule in {replay_file} no longer fits the program" in again.stderr


def test_deadlock_report_names_each_thread_what_it_waits_for_and_who_holds_it(tmp_path):
    program = PROGRAMS / "bug_join_under_lock.py"
    result, replay_file = explore(program, 200, tmp_path)
    assert result.returncode == 2
    report = replay(program, replay_file, tmp_path).stderr
    assert "DEADLOCK: every thread is waiting" in report
    lines = program.read_text().splitlines()
    lock_line = lines.index("registry_lock = threading.Lock()") + 1
    assert ("Thread T0 (MainThread) waits for the end of thread T1 (Thread-1 (register)):"
            in report)
    assert (f"Thread T1 (Thread-1 (register)) waits for lock created at {program}:{lock_line}, "
            "held by thread T0 (MainThread):") in report
    # Each thread's guest stack, CPython's traceback lines, no gilless frame.
    assert "    worker.join()\n" in report and "    with registry_lock:\n" in report
    assert "gilless/" not in report.replace(str(program), "")


def test_a_lock_order_inversion_fails_the_run_with_both_stacks(tmp_path):
    program = PROGRAMS / "bug_lock_order_deadlock.py"
    result, replay_file = explore(program, 200, tmp_path)
    assert result.returncode == 1
    assert "failed (pct:0:3): lock-order inversion (potential deadlock)" in result.stderr
    report = replay(program, replay_file, tmp_path).stderr
    assert report.count("WARNING: POTENTIAL DEADLOCK: lock-order inversion") == 1
    lines = program.read_text().splitlines()
    first_line = lines.index("first = threading.Lock()") + 1
    second_line = lines.index("second = threading.Lock()") + 1
    assert (f"Cycle in lock order graph: M1 (lock created at {program}:{second_line}) => "
            f"M2 (lock created at {program}:{first_line}) => M1") in report
    assert "Mutex M1 previously acquired by the same thread here:" in report
    assert report.count("    with first:\n") == 2 and report.count("    with second:\n") == 2


def test_locks_taken_in_one_order_are_no_inversion(tmp_path):
    program = tmp_path / "ordered.py"
    program.write_text((PROGRAMS / "bug_lock_order_deadlock.py").read_text().replace(
        "    with second:\n        with first:", "    with first:\n        with second:"))
    result, _ = explore(program, 30, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "POTENTIAL DEADLOCK" not in result.stderr


def test_lost_wakeup_is_a_deadlock_on_a_condition(tmp_path):
    program = PROGRAMS / "bug_lost_wakeup.py"
    result, replay_file = explore(program, 200, tmp_path)
    report = replay(program, replay_file, tmp_path).stderr
    assert "which only a notify releases" in report
    assert "condition.wait()" in report


def test_sleeps_and_timeouts_take_virtual_time():
    # An hour of sleep and several timeouts: the test's own time limit is 120 s.
    result = run_gilless("-X", "schedule=pct:1", str(PROGRAMS / "ok_timeouts.py"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "empty after 5 s\nslept an hour\n"


def test_a_thread_waiting_outside_the_scheduler_does_not_hang_the_run(tmp_path):
    program = tmp_path / "pipe.py"
    program.write_text(
        "import os, threading, time\n"
        "r, w = os.pipe()\n"
        "got = []\n"
        "def reader():\n"
        "    got.append(os.read(r, 5))\n"
        "thread = threading.Thread(target=reader)\n"
        "thread.start()\n"
        "time.sleep(1)\n"
        "os.write(w, b'hello')\n"
        "thread.join()\n"
        "print(got)\n")
    for strategy in ("random:1", "pct:2"):
        result = run_gilless("-X", f"schedule={strategy}", str(program), timeout=60)
        assert result.stdout == "[b'hello']\n", result.stderr


def test_a_busy_wait_gives_way_under_every_strategy(tmp_path):
    # PCT whose change points all come before the spin, and a depth-first search, would
    # run the spinning thread for ever: it gives way after a fair share of points.
    program = tmp_path / "spin.py"
    program.write_text(
        "import threading\n"
        "ready = False\n"
        "def produce():\n"
        "    global ready\n"
        "    ready = True\n"
        "def consume(out):\n"
        "    while not ready:\n"
        "        pass\n"
        "    out.append('consumed')\n"
        "out = []\n"
        "consumer = threading.Thread(target=consume, args=(out,))\n"
        "producer = threading.Thread(target=produce)\n"
        "consumer.start(); producer.start(); consumer.join(); producer.join()\n"
        "print(out)\n")
    for strategy in ("pct:1:3:3", "pct:2:3:3", "dfs:0", "dfs:2"):
        result = run_gilless("-X", f"schedule={strategy}", str(program), timeout=60)
        assert (result.returncode, result.stdout) == (0, "['consumed']\n"), result.stderr
    explored = run_gilless("-X", "explore=5", "-X", "schedule=pct:1:3:3", str(program),
                           timeout=120)
    assert explored.returncode == 0, explored.stderr
    assert "no failure" in explored.stderr


def test_an_exception_in_a_thread_fails_the_run_even_with_a_quiet_excepthook(tmp_path):
    program = tmp_path / "quiet.py"
    program.write_text(
        "import threading\n"
        "threading.excepthook = lambda args: None\n"
        "def work():\n"
        "    raise KeyError('lost')\n"
        "thread = threading.Thread(target=work)\n"
        "thread.start()\n"
        "thread.join()\n")
    result, _ = explore(program, 5, tmp_path)
    assert result.returncode == 1
    assert "exception in thread T1 (Thread-1 (work)): KeyError: 'lost'" in result.stderr


def test_the_thread_excepthook_is_called_from_threading_as_in_cpython(tmp_path):
    # The run fails (above); the hook sees the callers CPython gives it.
    program = tmp_path / "callers.py"
    program.write_text(
        "import sys, threading\n"
        "def hook(args):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame is not None:\n"
        "        print(frame.f_code.co_name, frame.f_code.co_filename == threading.__file__)\n"
        "        frame = frame.f_back\n"
        "threading.excepthook = hook\n"
        "def work():\n"
        "    raise KeyError('lost')\n"
        "thread = threading.Thread(target=work)\n"
        "thread.start()\n"
        "thread.join()\n")
    expected = run_cpython(str(program), cwd=tmp_path)
    assert expected.stdout.startswith("invoke_excepthook True\n"), expected.stdout
    result = run_gilless("-X", "schedule=random:1", str(program), cwd=tmp_path)
    assert result.stdout == expected.stdout


def test_a_thread_that_exits_is_no_failure(tmp_path):
    # threading lets a SystemExit end a thread quietly, as CPython does.
    program = tmp_path / "exits.py"
    program.write_text(
        "import sys, threading\n"
        "thread = threading.Thread(target=sys.exit, args=(3,))\n"
        "thread.start()\n"
        "thread.join()\n"
        "print('main continues')\n")
    result, _ = explore(program, 5, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no failure" in result.stderr
    single = run_gilless("-X", "schedule=random:0", str(program), cwd=tmp_path)
    assert (single.returncode, single.stdout, single.stderr) == (0, "main continues\n", "")


def test_a_controlled_run_can_record_its_schedule(tmp_path):
    replay_file = tmp_path / "run.json"
    program = PROGRAMS / "interleaving.py"
    first = run_gilless("-X", "schedule=random:2", "-X", f"replay_file={replay_file}",
                        str(program))
    again = replay(program, replay_file, tmp_path)
    assert again.stdout == first.stdout


@pytest.mark.parametrize("options, message", [
    (["-X", "schedule=bogus:1"], "unknown schedule strategy 'bogus'"),
    (["-X", "schedule=pct:x"], "parameters are whole numbers"),
    (["-X", "schedule=dfs:-1"], "dfs: the bound is at least 0"),
    (["-X", "explore=many"], "-X explore=N takes a number of runs"),
    (["-X", "replay=missing.json"], "-X replay: cannot read missing.json"),
    (["-X", "explore=3", "-X", "race"], "cannot be combined with -X race"),
])
def test_bad_options_are_usage_errors(options, message, tmp_path):
    result = run_gilless(*options, str(PROGRAMS / "ok_lock.py"), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize("text", [
    '{"hello": 1}',
    '{"format": 1, "schedule": [["T0", "x", null]]}',
    '{"format": 1, "schedule": [[1, 2]]}',
    '{"format": 1, "schedule": [["T0", 3, "here"]]}',
])
def test_a_file_that_is_not_a_schedule_is_refused(text, tmp_path):
    bogus = tmp_path / "bogus.json"
    bogus.write_text(text)
    result = run_gilless("-X", f"replay={bogus}", str(PROGRAMS / "ok_lock.py"))
    assert result.returncode == 2
    assert "is not a schedule file" in result.stderr and "Traceback" not in result.stderr


def test_a_controlled_run_says_when_it_cannot_write_its_schedule(tmp_path):
    replay_file = tmp_path / "missing" / "run.json"
    result = run_gilless("-X", "schedule=random:1", "-X", f"replay_file={replay_file}",
                         str(PROGRAMS / "ok_lock.py"))
    assert result.stderr == (f"gilless: schedule: cannot write {replay_file}: "
                             "No such file or directory\n")
    assert result.returncode == 0


def test_hashes_are_fixed_under_the_scheduler():
    env = {name: value for name, value in os.environ.items() if name != "PYTHONHASHSEED"}
    program = "print(hash('schedule'))"
    hashes = {run_gilless("-X", "schedule=random:1", "-c", program, env=env).stdout
              for _ in range(2)}
    assert len(hashes) == 1


def test_heapq_is_the_c_code_under_the_scheduler():
    # One thread runs at a time, as under a GIL: the free-threaded host's crash guard
    # (gilless.concurrency.hostcrashes), which would hand threads the pure-Python code,
    # is not needed, and the interleavings are CPython's.
    program = "import heapq, json; print(heapq.heappush, json.encoder.c_make_encoder)"
    result = run_gilless("-X", "schedule=random:1", "-c", program)
    assert result.stdout == "<built-in function heappush> <class '_json.Encoder'>\n", \
        result.stderr


def test_a_socket_read_waits_outside_the_scheduler(tmp_path):
    program = tmp_path / "sockets.py"
    program.write_text(
        "import socket, threading, time\n"
        "left, right = socket.socketpair()\n"
        "got = []\n"
        "def reader():\n"
        "    got.append(left.recv(5))\n"
        "thread = threading.Thread(target=reader)\n"
        "thread.start()\n"
        "time.sleep(1)\n"
        "right.sendall(b'hello')\n"
        "thread.join()\n"
        "print(got)\n")
    result = run_gilless("-X", "schedule=random:3", str(program), timeout=60)
    assert result.stdout == "[b'hello']\n", result.stderr


def test_ctrl_c_ends_a_controlled_run_whose_thread_never_reaches_a_point(tmp_path):
    import signal
    import subprocess
    import sys
    program = tmp_path / "spin.py"
    program.write_text(
        "import threading\n"
        "def spin():\n"
        "    while True:\n"
        "        pass\n"
        "thread = threading.Thread(target=spin, daemon=True)\n"
        "thread.start()\n"
        "print('started', flush=True)\n"
        "thread.join()\n")
    process = subprocess.Popen([sys.executable, "-m", "gilless", "-X", "schedule=random:1",
                                str(program)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout.readline() == "started\n"
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGINT
    assert errors.rstrip().endswith("KeyboardInterrupt")


def test_ctrl_c_ends_an_exploration_and_its_run(tmp_path):
    # As a terminal's Ctrl-C: SIGINT to the process group, the explorer and its run.
    import signal
    import subprocess
    import sys
    program = tmp_path / "spin.py"
    marker = tmp_path / "started"
    program.write_text(
        "import pathlib, threading\n"
        "ready = False\n"
        "def spin():\n"
        "    while not ready:\n"
        "        pass\n"
        f"pathlib.Path({str(marker)!r}).touch()\n"
        "thread = threading.Thread(target=spin)\n"
        "thread.start()\n"
        "thread.join()\n")
    process = subprocess.Popen([sys.executable, "-m", "gilless", "-X", "explore=1000",
                                str(program)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for _ in range(600):
            if marker.exists():
                break
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGINT
    assert "gilless: explore: interrupted after" in errors and "Traceback" not in errors
    # The run was killed with the exploration, not left spinning.
    left = []
    for entry in Path("/proc").iterdir():
        try:
            if str(program).encode() in (entry / "cmdline").read_bytes():
                left.append(entry.name)
        except OSError:
            pass
    assert left == []


def test_every_run_reads_the_same_standard_input_from_a_file(tmp_path):
    import subprocess
    import sys
    program = tmp_path / "reads.py"
    program.write_text(
        "import sys, threading\n"
        "lines = []\n"
        "thread = threading.Thread(target=lambda: lines.extend(sys.stdin.read().split()))\n"
        "thread.start()\n"
        "thread.join()\n"
        "assert lines == ['a', 'b'], lines\n")
    data = tmp_path / "input.txt"
    data.write_text("a\nb\n")
    with open(data) as stdin:
        result = subprocess.run([sys.executable, "-m", "gilless", "-X", "explore=10",
                                 str(program)], stdin=stdin, capture_output=True, text=True,
                                cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "explored 10 run(s)" in result.stderr


def test_a_program_read_from_standard_input_is_explored(tmp_path):
    source = (PROGRAMS / "bug_lost_update.py").read_text()
    result = run_gilless("-X", "explore=500", "-", input=source, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert SYMPTOMS["bug_lost_update"] in result.stderr
    assert "-X replay=gilless-schedule.json -" in result.stderr
    replayed = run_gilless("-X", "replay=gilless-schedule.json", "-", input=source,
                           cwd=tmp_path)
    assert SYMPTOMS["bug_lost_update"] in replayed.stderr


def test_a_run_killed_before_it_records_is_given_by_its_strategy(tmp_path):
    program = tmp_path / "killed.py"
    program.write_text(
        "import os, signal, threading\n"
        "thread = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGKILL))\n"
        "thread.start()\n"
        "thread.join()\n")
    result, replay_file = explore(program, 5, tmp_path)
    assert result.returncode == 1
    assert "failed (pct:0:3): killed by SIGKILL" in result.stderr
    assert "stopped before it recorded its schedule; run it again with:" in result.stderr
    command = result.stderr.rstrip().splitlines()[-1].split()
    assert command[1:3] == ["-X", "schedule=pct:0:3"] and not replay_file.exists()
    again = run_gilless(*command[1:], cwd=tmp_path)
    assert again.returncode == -9
