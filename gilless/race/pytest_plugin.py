"""pytest plugin: under `gilless -X race`, a test during which a data race or a lock-order
inversion was found fails.

Under `gilless -X race` the guest's pytest loads this, as the module
`_gilless_race_pytest`, through the `pytest11` entry point `gilless-race` (which
`-p no:gilless-race` blocks): the guest world provides both, in any environment,
one without gilless in it included (gilless.objspace.pytestplugin). Imported
anywhere else, without the `_gilless_race` built-in module (through the entry
point of an installation of gilless from before), it does nothing. The report,
which the detector also writes to stderr as it finds it, becomes the failed
test's report.
"""

import pytest

try:
    import _gilless_race
except ImportError:
    _gilless_race = None

SECTION = "gilless race detector"


if _gilless_race is not None:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        # Races found before this test (at collection, in an earlier test's threads
        # still running) are not this test's.
        item.stash[_cursor] = _gilless_race.count()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        report = outcome.get_result()
        start = item.stash.get(_cursor, None)
        if start is None:
            return
        reports = _gilless_race.reports_since(start)
        if not reports:
            return
        item.stash[_cursor] = start + len(reports)
        text = "".join(reports)
        report.sections.append((SECTION, text))
        if report.outcome != "failed":
            report.outcome = "failed"
            report.longrepr = f"{_found(reports)} found during this test:\n{text}"

    def _found(reports):
        races = sum("WARNING: DATA RACE\n" in text for text in reports)
        counts = []
        if races:
            counts.append(f"{races} data race(s)")
        if len(reports) > races:
            counts.append(f"{len(reports) - races} lock-order inversion(s)")
        return " and ".join(counts)

    _cursor = pytest.StashKey()
