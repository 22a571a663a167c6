"""Run one CPython regression-test module with `unittest`, recording each test's outcome.

This file runs as a guest program under gilless and, unchanged, under the
host CPython, so both sides load and run the module the same way (the
module's own `load_tests`, which is how doctest suites such as
test_generators' join in). Each outcome is written as one JSON line and
flushed at once: when the interpreter crashes or hangs, the runner still
knows every test that finished and which one was running.

Usage: driver.py MODULE OUTCOMES.jsonl
"""

import json
import sys
import unittest


def _parent_id(test):
    # A subtest reports under its parent test's id: the expected-failures
    # list and the table count whole tests.
    parent = getattr(test, "test_case", None)
    return (parent or test).id()


class RecordingResult(unittest.TextTestResult):
    """A text result that also writes `{"id", "outcome", "detail"}` lines to a file."""

    outcomes_file = None

    def _record(self, test, outcome, detail=""):
        line = json.dumps({"id": _parent_id(test), "outcome": outcome, "detail": detail[-2000:]})
        self.outcomes_file.write(line + "\n")
        self.outcomes_file.flush()

    def startTest(self, test):
        self._record(test, "started")
        super().startTest(test)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed", self.failures[-1][1])

    def addError(self, test, err):
        super().addError(test, err)
        # setUpClass/setUpModule errors come with a placeholder, not a test.
        self._record(test, "errored", self.errors[-1][1])

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", str(reason))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "passed", "expected failure")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failed", "unexpected success")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            if issubclass(err[0], test.failureException):
                self._record(subtest, "failed", self.failures[-1][1])
            else:
                self._record(subtest, "errored", self.errors[-1][1])


def main(argv):
    module_name, outcomes_path = argv[1], argv[2]
    with open(outcomes_path, "w", encoding="utf-8") as outcomes_file:
        RecordingResult.outcomes_file = outcomes_file
        try:
            suite = unittest.defaultTestLoader.loadTestsFromName(module_name)
        except unittest.SkipTest as skip:
            # The whole module skips itself (a resource or C module it needs is missing).
            for outcome, detail in (("skipped", str(skip)), ("finished", "ran 0")):
                outcomes_file.write(json.dumps({"id": module_name, "outcome": outcome,
                                                "detail": detail}) + "\n")
            return 0
        except BaseException as error:
            import traceback
            detail = "".join(traceback.format_exception(error))
            outcomes_file.write(json.dumps({"id": module_name, "outcome": "errored",
                                            "detail": detail[-2000:]}) + "\n")
            sys.stderr.write(detail)
            return 1
        runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=2,
                                         resultclass=RecordingResult)
        result = runner.run(suite)
        outcomes_file.write(json.dumps({"id": module_name, "outcome": "finished",
                                        "detail": f"ran {result.testsRun}"}) + "\n")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
