"""The `conformance` marker: the run of CPython's regression tests, deselect with -m "not conformance"."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "conformance: runs CPython's regression tests under gilless (minutes); "
                   "deselect with -m 'not conformance'")
