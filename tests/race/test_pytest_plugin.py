"""`gilless -X race -m pytest`: the plugin shipped with gilless fails the test during which
a race or a lock-order inversion was found, with the report in its output, and leaves
every other test alone."""

import textwrap

from conftest import summary_outcomes as outcomes, run_cpython, run_gilless

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


def test_the_test_during_which_a_race_is_found_fails(tmp_path):
    (tmp_path / "test_counters.py").write_text(TESTS)
    result = run_gilless("-X", "race", *PYTEST, cwd=str(tmp_path), timeout=300)
    assert outcomes(result.stdout) == {"test_unlocked_counter": "FAILED",
                                       "test_locked_counter": "PASSED",
                                       "test_no_threads": "PASSED",
                                       "test_locks_in_both_orders": "FAILED"}, result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    # The failure is the race, with both accesses' places, in pytest's own output.
    assert "1 data race(s) found during this test" in result.stdout
    assert "WARNING: DATA RACE" in result.stdout
    assert "attribute 'n' of Counter object" in result.stdout
    assert result.stdout.count("counter.n += 1") >= 2
    assert "1 lock-order inversion(s) found during this test" in result.stdout
    assert "WARNING: POTENTIAL DEADLOCK: lock-order inversion" in result.stdout


def test_without_the_detector_the_plugin_does_nothing(tmp_path):
    (tmp_path / "test_counters.py").write_text(TESTS)
    expected = {"test_unlocked_counter": "PASSED", "test_locked_counter": "PASSED",
                "test_no_threads": "PASSED", "test_locks_in_both_orders": "PASSED"}
    for run in (run_gilless, run_cpython):
        result = run(*PYTEST, cwd=str(tmp_path), timeout=300)
        assert outcomes(result.stdout) == expected, result.stdout + result.stderr
        assert result.returncode == 0
