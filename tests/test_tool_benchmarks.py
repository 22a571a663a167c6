"""The tool benchmarks' choice of cases (`python -m benchmarks.race`, and
`benchmarks.threadprof` through it): `--case` measures some of them only."""

import pytest

from benchmarks import race


def test_a_case_is_named_by_its_label_or_its_last_word():
    assert [label for label, _, _ in race.cases(["queue", "float"])] == [
        "pyperformance float", "queue"]
    assert race.cases(["pyperformance nbody"]) == [("pyperformance nbody", "pyperformance",
                                                    "nbody")]
    assert len(race.cases()) == len(race.ROUND) + len(race.WORKLOADS)


def test_an_unknown_case_is_refused_with_the_names_there_are(capsys):
    with pytest.raises(SystemExit) as exit:
        race.main(["--case", "queue", "--case", "nosuch"])
    assert exit.value.code == 2
    error = capsys.readouterr().err
    assert "argument --case: invalid choice: 'nosuch'" in error and "'queue'" in error
