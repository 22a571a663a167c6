"""Real projects' own test suites under gilless, beside the host CPython.

    python -m realsuites [PACKAGE...] [--list] [--workdir DIR]

Each package of `PACKAGES` (pinned) is installed with its test dependencies
into one virtual environment of the host, with gilless installed from this
checkout; its tests (from its source distribution, or from the installed
package where it ships them) are copied apart, so that they import the
installed package and its compiled parts rather than the sources, and run
twice with pytest: under the host CPython and under gilless. The per-test
outcomes, from pytest's JUnit XML, are compared: a test that passes under
the host and not under gilless is a difference, and must be listed in
`expected-differences.txt` with the reason; a listed test that now passes is
an unexpected pass and must come off the list, so the list only shrinks. The
exit status is non-zero on either. Packages are fetched when the environment
is made, never while the tests run.
"""
