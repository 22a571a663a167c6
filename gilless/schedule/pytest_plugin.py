"""pytest plugin: under the schedule explorer, each test's call is explored or replayed.

    gilless -X explore=N -m pytest ...     each test that starts threads runs under up
                                           to N schedules; a failing one fails the test,
                                           with its output and the replay command
    gilless -X replay=FILE -m pytest TEST  the test's call under the recorded schedule
    gilless -X schedule=STRATEGY -m pytest each test's call under the strategy

Under the explorer the guest's pytest loads this, as the module
`_gilless_schedule_pytest`, through the `pytest11` entry point `gilless-schedule`
(which `-p no:gilless-schedule` blocks): the guest world provides both, in any
environment, one without gilless in it included (gilless.objspace.pytestplugin).
Imported anywhere else, without the `_gilless_schedule` built-in module
(through the entry point of an installation of gilless from before), it does
nothing.

Fixtures are set up once, in this process: each run of the call starts from
that state in a process of its own. When every run passes, the call runs once
more here, as it would without the plugin.
"""

import pytest

try:
    import _gilless_schedule
except ImportError:
    _gilless_schedule = None


if _gilless_schedule is not None and _gilless_schedule.mode() is not None:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(item):
        mode = _gilless_schedule.mode()
        call = item.runtest
        if mode == "explore":
            failure = _gilless_schedule.explore_call(call, item.nodeid)
            if failure is not None:
                item.runtest = lambda: pytest.fail(failure, pytrace=False)
        else:
            def runtest():
                failure = _gilless_schedule.controlled_call(
                    call, lambda: _show_output(item))
                if failure is not None:
                    pytest.fail(failure, pytrace=False)
            item.runtest = runtest
        try:
            yield
        finally:
            item.__dict__.pop("runtest", None)


def _show_output(item):
    """Before a controlled call ends the process (a deadlock, a schedule that no longer
    fits): pytest's capture let go, so that the report reaches the terminal."""
    capture = item.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.suspend_global_capture(in_=True)
    item.config.get_terminal_writer().line(f"{item.nodeid} stopped the test session:")
