"""pytest plugin: under `gilless -X race`, a test during which a data race or a lock-order
inversion was found fails.

Under `gilless -X race` the guest's pytest loads this, as the module
`_gilless_race_pytest`, through the `pytest11` entry point `gilless-race` (which
`-p no:gilless-race` blocks): the guest world provides both, in any environment,
one without gilless in it included (gilless.objspace.pytestplugin). Imported
anywhere else, without the `_gilless_race` built-in module (through the entry
point of an installation of gilless from before), it does nothing. The report,
which the detector also writes to stderr as it finds it, becomes the failed
test's report (or a section of it, where the test failed anyway), and leaves the
test's captured stderr: each report is shown once.
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
        item.stash[_cursor] = item.stash[_first] = _gilless_race.count()
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
        report.sections = _without(report.sections,
                                   _gilless_race.reports_since(item.stash[_first]))
        text = "".join(reports)
        if report.outcome == "failed":
            report.sections.append((SECTION, text))
        else:
            report.outcome = "failed"
            report.longrepr = _Failure(f"{_found(reports)} found during this test", text)

    class _Failure:
        """A test's failure by the detector's reports, shown whole under the test's name
        and by its first line alone in the short summary (pytest shows a failure given
        as text whole there too, where it runs on CI or with -vv)."""

        def __init__(self, headline, text):
            self.reprcrash = _Headline(headline)
            self.text = f"{headline}:\n{text}"

        def toterminal(self, out):
            for line in self.text.splitlines():
                out.line(line)

        def __str__(self):
            return self.text

    class _Headline:
        def __init__(self, message):
            self.message = message

    def _without(sections, reports):
        """The captured output `sections` (of each phase of the test so far) without
        `reports`, which the detector wrote to stderr as it found them."""
        kept = []
        for title, content in sections:
            if title.startswith("Captured stderr"):
                for text in reports:
                    content = content.replace(text, "", 1)
                if not content:
                    continue
            kept.append((title, content))
        return kept

    def _found(reports):
        races = sum("WARNING: DATA RACE\n" in text for text in reports)
        counts = []
        if races:
            counts.append(f"{races} data race(s)")
        if len(reports) > races:
            counts.append(f"{len(reports) - races} lock-order inversion(s)")
        return " and ".join(counts)

    _cursor = pytest.StashKey()  # the test's reports shown so far
    _first = pytest.StashKey()   # the test's first report
