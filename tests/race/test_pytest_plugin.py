"""`gilless -X race -m pytest`: the plugin shipped with gilless fails the test during which
a race or a lock-order inversion was found, with the report in its output, and leaves
every other test alone."""

import subprocess
import textwrap

import pytest

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
            for _ in range(100):
                counter.n += 1

        run_twice(work)


    def test_locked_counter():
        counter = Counter()
        lock = threading.Lock()

        def work():
            for _ in range(100):
                with lock:
                    counter.n += 1

        run_twice(work)
        assert counter.n == 200


    def test_no_threads():
        counter = Counter()
        counter.n += 1
        assert counter.n == 1


    def test_locks_in_both_orders():
        first, second = threading.Lock(), threading.Lock()

        def forwards():
            with first:
                with second:
                    pass

        def backwards():
            with second:
                with first:
                    pass

        for work in (forwards, backwards):
            thread = threading.Thread(target=work)
            thread.start()
            thread.join()
''')

PYTEST = ("-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "test_counters.py")


def assert_failed_by_the_reports(result):
    """The tests during which the detector found a race or a lock-order inversion failed
    with its report, in pytest's own output; the others passed."""
    assert outcomes(result.stdout) == {"test_unlocked_counter": "FAILED",
                                       "test_locked_counter": "PASSED",
                                       "test_no_threads": "PASSED",
                                       "test_locks_in_both_orders": "FAILED"}, result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 data race(s) found during this test" in result.stdout
    assert "attribute 'n' of Counter object" in result.stdout
    assert "1 lock-order inversion(s) found during this test" in result.stdout


# pytest shows a failure's whole message in the short summary where it runs on CI.
@pytest.mark.parametrize("ci", ["", "true"])
def test_the_test_during_which_a_race_is_found_fails(tmp_path, ci):
    (tmp_path / "test_counters.py").write_text(TESTS)
    result = run_gilless("-X", "race", *PYTEST, cwd=str(tmp_path), timeout=300,
                         env={"CI": ci, "BUILD_NUMBER": ""})
    assert_failed_by_the_reports(result)
    # The failure is the race, with both accesses' places.
    assert "WARNING: DATA RACE" in result.stdout
    assert result.stdout.count("counter.n += 1") >= 2
    assert "WARNING: POTENTIAL DEADLOCK: lock-order inversion" in result.stdout
    # Each report once: as the failure, not also as captured stderr.
    assert result.stdout.count("WARNING: DATA RACE") == 1, result.stdout
    assert result.stdout.count("WARNING: POTENTIAL DEADLOCK") == 1, result.stdout
    # The short summary names what was found, in one line.
    assert ("FAILED test_counters.py::test_unlocked_counter - 1 data race(s) found during"
            in result.stdout)


def test_a_report_in_a_test_that_fails_anyway_is_a_section_of_its_report(tmp_path):
    (tmp_path / "test_counters.py").write_text(TESTS.replace(
        "    run_twice(work)\n\n\ndef test_locked_counter",
        "    run_twice(work)\n    print('the output the test printed', file=sys.stderr)\n"
        "    assert counter.n == -1\n\n\ndef test_locked_counter").replace(
        "import threading", "import sys\nimport threading"))
    result = run_gilless("-X", "race", *PYTEST, cwd=str(tmp_path), timeout=300)
    assert "assert 200 == -1" in result.stdout or "assert counter.n == -1" in result.stdout
    assert result.stdout.count("WARNING: DATA RACE") == 1, result.stdout
    assert "- gilless race detector -" in result.stdout
    assert "the output the test printed" in result.stdout


def test_without_the_detector_the_plugin_does_nothing(tmp_path):
    (tmp_path / "test_counters.py").write_text(TESTS)
    expected = {"test_unlocked_counter": "PASSED", "test_locked_counter": "PASSED",
                "test_no_threads": "PASSED", "test_locks_in_both_orders": "PASSED"}
    for run in (run_gilless, run_cpython):
        result = run(*PYTEST, cwd=str(tmp_path), timeout=300)
        assert outcomes(result.stdout) == expected, result.stdout + result.stderr
        assert result.returncode == 0


def test_the_plugin_is_found_in_a_virtual_environment_made_by_gilless(tmp_path):
    # Neither the `gilless` package nor its distribution is on that environment's path:
    # the guest world provides the plugin. Another distribution declaring the plugin's
    # entry point (as gilless's own did, and an installation of it from then still does)
    # comes after it: pytest skips that one, whose module is nowhere.
    python = gilless_venv_with_pytest(tmp_path / "venv")
    stale = next((tmp_path / "venv").glob("lib/python3*/site-packages")) / "stale-1.dist-info"
    stale.mkdir()
    (stale / "METADATA").write_text("Metadata-Version: 2.1\nName: stale\nVersion: 1\n")
    (stale / "entry_points.txt").write_text("[pytest11]\ngilless-race = no_such_module\n")
    (tmp_path / "test_counters.py").write_text(TESTS)

    def run(*options):
        return subprocess.run([python, "-X", "race", *PYTEST, *options], capture_output=True,
                              text=True, env=child_env(), cwd=str(tmp_path), timeout=300)

    assert_failed_by_the_reports(run())

    # `-p no:gilless-race` leaves it out: the reports are only the tests' captured stderr,
    # and the exit status the detector's.
    result = run("-p", "no:gilless-race")
    assert set(outcomes(result.stdout).values()) == {"PASSED"}, result.stdout
    assert result.returncode == 66, result.stdout + result.stderr
    assert "found during this test" not in result.stdout
    assert "Found 1 data race(s)" in result.stderr


def test_only_the_detector_shows_the_guest_its_plugin():
    # The finder of the plugin's module and distribution is in the guest's sys.meta_path
    # under -X race, not in the default mode.
    code = ("import importlib.util, sys; print(importlib.util.find_spec('_gilless_race_pytest')"
            " is not None, sum('pytest plugin' in repr(finder) for finder in sys.meta_path))")
    assert run_gilless("-c", code).stdout == "False 0\n"
    assert run_gilless("-X", "race", "-c", code).stdout == "True 1\n"
