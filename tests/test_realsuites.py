"""The real-suites runner's reading and comparing of outcomes (its runs need the
network to install packages, so CI runs `python -m realsuites` itself)."""

import textwrap

import pytest

from realsuites import runner

JUNIT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="tests.test_a" name="test_ok" time="0.1"/>
  <testcase classname="tests.test_a" name="test_bad" time="0.1">
    <failure message="assert 1 == 2">trace</failure></testcase>
  <testcase classname="tests.test_a" name="test_broken" time="0.1">
    <error message="fixture">trace</error></testcase>
  <testcase classname="tests.test_b" name="test_later" time="0.0">
    <skipped message="not here">skip</skipped></testcase>
</testsuite></testsuites>
"""

PACKAGE = runner.Package("demo", "1.0", ("tests",))


def test_junit_outcomes(tmp_path):
    path = tmp_path / "report.xml"
    path.write_text(JUNIT)
    assert runner.read_junit(path) == {
        "tests.test_a::test_ok": "passed", "tests.test_a::test_bad": "failed",
        "tests.test_a::test_broken": "failed", "tests.test_b::test_later": "skipped"}


def test_expected_differences_need_a_reason(tmp_path):
    path = tmp_path / "expected.txt"
    path.write_text("# a comment\n\ndemo tests.test_a::test_x  # needs the C API\n")
    assert runner.read_expected(path) == {("demo", "tests.test_a::test_x"): "needs the C API"}
    path.write_text("demo tests.test_a::test_x\n")
    with pytest.raises(SystemExit, match="reason"):
        runner.read_expected(path)


def test_compare_sorts_differences_and_finds_tests_that_now_pass():
    host = {"t::listed": "passed", "t::new": "passed", "t::fixed": "passed",
            "t::both_fail": "failed", "t::skipped": "skipped"}
    gilless = {"t::listed": "failed", "t::fixed": "passed", "t::both_fail": "failed"}
    expected = {("demo", "t::listed"): "why", ("demo", "t::fixed"): "why",
                ("other", "t::new"): "another package's"}
    # t::new did not run under gilless: a difference nobody listed for this package.
    assert runner.compare(PACKAGE, host, gilless, expected) == (
        ["t::listed"], ["t::new"], ["t::fixed"])


def test_the_list_kept_in_the_repository_reads():
    for (package, test_id), reason in runner.read_expected().items():
        assert package in {p.name for p in runner.PACKAGES}, package
        assert "::" in test_id and reason


def test_every_package_is_pinned():
    for package in runner.PACKAGES:
        assert package.version and all("==" in dep for dep in package.deps), package
    assert "==" in runner.PYTEST


def test_sources_are_copied_apart_from_the_package(tmp_path):
    source = tmp_path / "sources" / "demo-1.0"
    (source / "demo").mkdir(parents=True)
    (source / "demo" / "__init__.py").write_text("")
    (source / "tests").mkdir()
    (source / "tests" / "test_x.py").write_text("def test_x(): pass\n")
    (source / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.pytest.ini_options]
        filterwarnings = ["error"]
    """))
    directory = runner.Environment(tmp_path).test_directory(PACKAGE)
    assert sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*")) == [
        "pyproject.toml", "tests", "tests/test_x.py"]
