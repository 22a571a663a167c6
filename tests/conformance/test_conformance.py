"""The conformance runner: its bookkeeping, its handling of crashes and hangs, and the
real run of the listed CPython regression-test modules against the expected-failures list."""

import subprocess
import sys
import textwrap

import pytest

from conformance import runner as conformance

SAMPLE_TESTS = '''
import os, time, unittest

class Sample(unittest.TestCase):
    def test_pass(self):
        pass
    def test_fail(self):
        self.assertEqual(1, 2)
    def test_error(self):
        raise KeyError("boom")
    @unittest.skip("not today")
    def test_skip(self):
        pass
    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertNotEqual(i, 1)
    @unittest.expectedFailure
    def test_expected_failure(self):
        self.fail()
'''

CRASHING_TESTS = '''
import os, unittest

class Crash(unittest.TestCase):
    def test_a_first(self):
        pass
    def test_b_dies(self):
        os._exit(3)
'''

HANGING_TESTS = '''
import time, unittest

class Hang(unittest.TestCase):
    def test_hangs(self):
        time.sleep(600)
'''


@pytest.fixture
def sample_modules(tmp_path, monkeypatch):
    for name, text in [("conf_sample", SAMPLE_TESTS), ("conf_crash", CRASHING_TESTS),
                       ("conf_hang", HANGING_TESTS)]:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(text))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("interpreter", ["gilless", "cpython"])
def test_outcomes_of_each_kind(sample_modules, interpreter):
    result = conformance.run_module(interpreter, "conf_sample", timeout=120)
    assert result["status"] == "finished"
    assert result["outcomes"] == {
        "conf_sample.Sample.test_pass": "passed",
        "conf_sample.Sample.test_fail": "failed",
        "conf_sample.Sample.test_error": "errored",
        "conf_sample.Sample.test_skip": "skipped",
        "conf_sample.Sample.test_subtests": "failed",
        "conf_sample.Sample.test_expected_failure": "passed",
    }
    assert "KeyError: 'boom'" in result["details"]["conf_sample.Sample.test_error"]


def test_a_crash_fails_the_running_test_and_the_module(sample_modules):
    result = conformance.run_module("gilless", "conf_crash", timeout=120)
    assert result["status"] == "crashed (exit status 3)"
    assert result["outcomes"] == {"conf_crash.Crash.test_a_first": "passed",
                                  "conf_crash.Crash.test_b_dies": "errored"}
    verdict = conformance.compare("conf_crash", result, expected={})
    assert verdict["regressions"] == ["conf_crash (crashed (exit status 3))",
                                      "conf_crash.Crash.test_b_dies"]


def test_a_hang_is_stopped_at_the_timeout(sample_modules):
    result = conformance.run_module("gilless", "conf_hang", timeout=5)
    assert result["status"] == "timed out"
    assert result["outcomes"] == {"conf_hang.Hang.test_hangs": "errored"}
    assert result["seconds"] < 60


def test_regressions_and_unexpected_passes():
    result = {"status": "finished", "outcomes": {
        "test.test_x.A.test_new_failure": "failed",
        "test.test_x.A.test_known_failure": "errored",
        "test.test_x.A.test_fixed": "passed",
        "test.test_y.A.test_other_module": "passed"}}
    expected = {"test.test_x.A.test_known_failure": "a reason",
                "test.test_x.A.test_fixed": "a reason",
                "test.test_y.A.test_other_module": "a reason"}
    verdict = conformance.compare("test.test_x", result, expected)
    assert verdict == {"listed": 2, "regressions": ["test.test_x.A.test_new_failure"],
                       "unexpected_passes": ["test.test_x.A.test_fixed"]}


def test_a_test_cpython_fails_too_is_no_regression():
    result = {"status": "finished", "outcomes": {
        "test.test_x.A.test_both_fail": "failed", "test.test_x.A.test_ours": "failed",
        "test.test_x.A.test_listed": "failed"}}
    cpython = {"status": "finished", "outcomes": {
        "test.test_x.A.test_both_fail": "errored", "test.test_x.A.test_ours": "passed",
        "test.test_x.A.test_listed": "failed"}}
    expected = {"test.test_x.A.test_listed": "a reason"}
    verdict = conformance.compare("test.test_x", result, expected, cpython)
    assert verdict == {"listed": 1, "regressions": ["test.test_x.A.test_ours"],
                       "unexpected_passes": []}


def test_a_flaky_test_is_neither_a_regression_nor_an_unexpected_pass():
    expected = {"test.test_x.A.test_flaky": "flaky: CPython fails it now and then",
                "test.test_x.A.test_listed": "a reason"}
    for outcome in ("failed", "passed"):
        result = {"status": "finished", "outcomes": {
            "test.test_x.A.test_flaky": outcome, "test.test_x.A.test_listed": "failed"}}
        verdict = conformance.compare("test.test_x", result, expected)
        assert verdict == {"listed": 1, "regressions": [], "unexpected_passes": []}


def test_expected_failures_need_a_reason(tmp_path):
    listing = tmp_path / "expected.txt"
    listing.write_text("# comment\ntest.test_x.A.test_a  # why\n\n")
    assert conformance.read_expected_failures(listing) == {"test.test_x.A.test_a": "why"}
    listing.write_text("test.test_x.A.test_a\n")
    with pytest.raises(ValueError, match="has no reason"):
        conformance.read_expected_failures(listing)


def test_an_entry_may_be_for_some_hosts_only(tmp_path):
    listing = tmp_path / "expected.txt"
    listing.write_text("test.test_x.A.test_all  # everywhere\n"
                       "[3.11] test.test_x.A.test_old  # 3.11 of either build\n"
                       "[3.13t 3.14t] test.test_x.A.test_guarded  # free-threaded only\n"
                       "[3.13] test.test_x.A.test_new  # 3.13 of either build\n")
    assert conformance.read_expected_failures(listing, host="3.11") == {
        "test.test_x.A.test_all": "everywhere", "test.test_x.A.test_old": "3.11 of either build"}
    assert sorted(conformance.read_expected_failures(listing, host="3.13t")) == [
        "test.test_x.A.test_all", "test.test_x.A.test_guarded", "test.test_x.A.test_new"]
    assert sorted(conformance.read_expected_failures(listing, host="3.13")) == [
        "test.test_x.A.test_all", "test.test_x.A.test_new"]
    listing.write_text("[] test.test_x.A.test_a  # why\n")
    with pytest.raises(ValueError, match="no hosts"):
        conformance.read_expected_failures(listing)


def test_ids_that_unittest_makes_belong_to_their_module():
    modules = ["test.test_json", "test.test_re"]
    assert conformance.module_of("test.test_json.test_fail.TestCFail.test_x", modules) == \
        "test.test_json"
    assert conformance.module_of("setUpClass (test.test_re.ReTests)", modules) == "test.test_re"
    assert conformance.module_of("unittest.loader._FailedTest.test.test_re", modules) == \
        "test.test_re"
    assert conformance.module_of("test.test_regex.X.test_y", modules) is None


kept_for_this_host = pytest.mark.skipif(
    conformance.host_tag() not in conformance.EXPECTED_FAILURES_HOSTS,
    reason="the expected-failures list is kept for CPython %s"
           % " and ".join(conformance.EXPECTED_FAILURES_HOSTS))


@kept_for_this_host
def test_the_expected_failures_list_is_within_bounds():
    modules = conformance.read_modules()
    for test_id in conformance.read_expected_failures():
        assert conformance.module_of(test_id, modules), f"{test_id} is in no listed module"


@pytest.mark.conformance
@kept_for_this_host
def test_listed_modules_pass_with_the_expected_failures(tmp_path):
    """CPython's regression tests under gilless: no regressions, no unexpected passes."""
    completed = subprocess.run(
        [sys.executable, "-m", "conformance", "--jobs", "2",
         "--timeout", "300", "--output", str(tmp_path)],
        capture_output=True, text=True, timeout=1200)
    assert completed.returncode == 0, completed.stdout[-20000:] + completed.stderr[-5000:]
    assert (tmp_path / "results.json").exists() and (tmp_path / "results.md").exists()


def test_a_failure_that_passes_when_run_again_is_flaky(monkeypatch):
    first = {"status": "finished", "outcomes": {"test.test_x.A.test_flaky": "failed",
                                                "test.test_x.A.test_broken": "failed"}}
    second = {"status": "finished", "outcomes": {"test.test_x.A.test_flaky": "passed",
                                                 "test.test_x.A.test_broken": "failed"}}
    reruns = []

    def run_again(interpreter, module, timeout):
        reruns.append((interpreter, module))
        return second

    monkeypatch.setattr(conformance, "run_module", run_again)
    results = {"test.test_x": {"gilless": first},
               "test.test_y": {"gilless": {"status": "finished", "outcomes": {}}}}
    flaky = conformance.rerun_regressions(results, ["test.test_x", "test.test_y"], {},
                                          jobs=1, timeout=10)
    assert reruns == [("gilless", "test.test_x")]
    assert flaky == {"test.test_x": ["test.test_x.A.test_flaky"]}
    assert conformance.compare("test.test_x", first, {})["regressions"] == \
        ["test.test_x.A.test_broken"]
