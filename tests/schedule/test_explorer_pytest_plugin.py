"""`gilless -X explore=N -m pytest`: the plugin shipped with gilless explores each test's
call that starts threads, fails the one that some schedule breaks with the replay command,
and `-X replay=FILE -m pytest TEST` gives that failure again."""

import json
import subprocess
import textwrap

from conftest import (child_env, gilless_venv_with_pytest, summary_outcomes as outcomes,
                      run_cpython, run_gilless)

TESTS = textwrap.dedent('''
    import threading


    class Counter:
        def __init__(self):
            self.n = 0


    def run_twice(work):
        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


    def test_unlocked_counter():
        counter = Counter()

        def work():
            for _ in range(2):
                counter.n += 1

        run_twice(work)
        assert counter.n == 4


    def test_locked_counter():
        counter = Counter()
        lock = threading.Lock()

        def work():
            for _ in range(2):
                with lock:
                    counter.n += 1

        run_twice(work)
        assert counter.n == 4


    def test_no_threads():
        counter = Counter()
        counter.n += 1
        assert counter.n == 1
''')

PYTEST = ("-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider")


def test_exploration_fails_the_test_a_schedule_breaks_and_replay_repeats_it(tmp_path):
    (tmp_path / "test_counters.py").write_text(TESTS)
    result = run_gilless("-X", "explore=200", *PYTEST, "test_counters.py", cwd=str(tmp_path),
                         timeout=300)
    assert outcomes(result.stdout) == {"test_unlocked_counter": "FAILED",
                                       "test_locked_counter": "PASSED",
                                       "test_no_threads": "PASSED"}, result.stdout
    assert result.returncode == 1
    assert "failed (pct:" in result.stdout
    assert "the test raised AssertionError: assert" in result.stdout
    command_line = next(line for line in result.stdout.splitlines()
                        if "-X replay=" in line).split()
    assert command_line[-3:] == ["-m", "pytest", "test_counters.py::test_unlocked_counter"]
    replay_file = tmp_path / command_line[2].partition("=")[2]
    assert json.loads(replay_file.read_text())["schedule"]
    for _ in range(2):
        again = run_gilless(*command_line[1:3], *PYTEST, command_line[-1], cwd=str(tmp_path))
        assert outcomes(again.stdout) == {"test_unlocked_counter": "FAILED"}, again.stdout
        assert "AssertionError" in again.stdout


THREAD_RAISES = textwrap.dedent('''
    import threading


    def test_thread_raises():
        thread = threading.Thread(target=lambda: {}["key"])
        thread.start()
        thread.join()
''')


def test_the_plugin_is_found_in_a_virtual_environment_made_by_gilless(tmp_path):
    # Neither the `gilless` package nor its distribution is on that environment's path:
    # the guest world provides the plugin.
    python = gilless_venv_with_pytest(tmp_path / "venv")
    (tmp_path / "test_counters.py").write_text(TESTS)

    def run(*options):
        return subprocess.run([python, "-X", "explore=200", *PYTEST, *options,
                               "test_counters.py"], capture_output=True, text=True,
                              env=child_env(), cwd=str(tmp_path), timeout=300)

    result = run()
    assert outcomes(result.stdout) == {"test_unlocked_counter": "FAILED",
                                       "test_locked_counter": "PASSED",
                                       "test_no_threads": "PASSED"}, result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    assert "failed (pct:" in result.stdout
    # `-p no:gilless-schedule` leaves it out: each test runs once, as without the explorer.
    result = run("-p", "no:gilless-schedule")
    assert set(outcomes(result.stdout).values()) == {"PASSED"}, result.stdout + result.stderr


def test_replay_fails_a_test_whose_thread_raised(tmp_path):
    (tmp_path / "test_threads.py").write_text(THREAD_RAISES)
    result = run_gilless("-X", "explore=5", *PYTEST, "test_threads.py", cwd=str(tmp_path))
    assert outcomes(result.stdout) == {"test_thread_raises": "FAILED"}, result.stdout
    replay_file = next(tmp_path.glob("gilless-schedule-*.json"))
    again = run_gilless("-X", f"replay={replay_file}", *PYTEST,
                        "test_threads.py::test_thread_raises", cwd=str(tmp_path))
    assert outcomes(again.stdout) == {"test_thread_raises": "FAILED"}, again.stdout
    assert "exception in thread T1" in again.stdout and "KeyError: 'key'" in again.stdout


def test_a_replay_that_no_longer_fits_says_so_past_the_capture(tmp_path):
    tests = tmp_path / "test_counters.py"
    tests.write_text(TESTS)
    run_gilless("-X", "explore=200", *PYTEST, "test_counters.py::test_unlocked_counter",
                cwd=str(tmp_path), timeout=300)
    replay_file = next(tmp_path.glob("gilless-schedule-*.json"))
    # The bug fixed: the recorded schedule no longer fits the test.
    fixed = TESTS.replace("counter.n += 1\n\n    run_twice", "with threading.Lock():\n"
                          "                counter.n += 1\n\n    run_twice", 1)
    assert fixed != TESTS
    tests.write_text(fixed)
    again = run_gilless("-X", f"replay={replay_file}", *PYTEST,
                        "test_counters.py::test_unlocked_counter", cwd=str(tmp_path))
    assert "test_counters.py::test_unlocked_counter stopped the test session" in again.stdout
    assert "no longer fits the program" in again.stderr
    assert again.returncode == 2


def test_without_the_explorer_the_plugin_does_nothing(tmp_path):
    (tmp_path / "test_counters.py").write_text(TESTS)
    expected = {"test_unlocked_counter": "PASSED", "test_locked_counter": "PASSED",
                "test_no_threads": "PASSED"}
    for run in (run_gilless, run_cpython):
        result = run(*PYTEST, "test_counters.py", cwd=str(tmp_path), timeout=300)
        assert outcomes(result.stdout) == expected, result.stdout + result.stderr
