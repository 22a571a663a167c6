"""The race detector's corpus: every `race_*.py` program is reported, no `norace_*.py` is.

Each program names what it shows and starts with `# expect: PHRASE`: the location
(as the report describes it) of a race that must be reported, or `no race`. A race
program must be reported whatever the interleaving of its threads, with both
accesses' guest tracebacks and the creation site of every thread involved, and exit
with 66; a race-free program must run exactly as it does without the detector.
"""

import os
import re
from pathlib import Path

import pytest

import gilless
from conftest import run_gilless

PROGRAMS = Path(__file__).parent / "programs"
GILLESS_PACKAGE = os.path.dirname(os.path.abspath(gilless.__file__))
RACE_STATUS = 66

RACE_PROGRAMS = sorted(PROGRAMS.glob("race_*.py"))
NORACE_PROGRAMS = sorted(PROGRAMS.glob("norace_*.py"))

_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)$')
_ACCESS = re.compile(r"^(?P<previous>Previous )?(?P<kind>(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite)) "
                     r"of (?P<location>.+) by (?P<thread>main thread|thread T\d+.*):$")
_CREATED = re.compile(r"^Thread T\d+.* created at:$")


def expectation(program):
    first = program.read_text().splitlines()[0]
    assert first.startswith("# expect: "), f"{program.name} has no '# expect:' header"
    return first[len("# expect: "):].strip()


def run_program(program, *options, env=None):
    return run_gilless(*options, str(program), cwd=str(PROGRAMS), env=env, timeout=300)


class Section:
    """A titled list of traceback frames in a report: an access or a creation site."""

    def __init__(self, title):
        self.title = title
        self.frames = []     # (file, line, function, source shown or None)


def parse_reports(stderr):
    """The race reports in `stderr`: for each, its sections in order."""
    reports = []
    for block in stderr.split("==================\n"):
        if not block.startswith("WARNING: DATA RACE\n"):
            continue
        sections = []
        for line in block.splitlines()[1:]:
            frame = _FRAME.match(line)
            if frame:
                sections[-1].frames.append(
                    (frame["file"], int(frame["line"]), frame["function"], None))
            elif line.startswith("    ") and sections and sections[-1].frames:
                file, number, function, _ = sections[-1].frames[-1]
                sections[-1].frames[-1] = (file, number, function, line.strip())
            elif line.strip():
                sections.append(Section(line))
        reports.append(sections)
    return reports


def check_frames(section, program):
    """Every frame of `section` shows its file's real line; at least one is the program's."""
    assert section.frames, f"no frame under {section.title!r}"
    for file, number, function, source in section.frames:
        assert not file.startswith(GILLESS_PACKAGE), f"gilless frame {file} in a report"
        if os.path.exists(file):
            real = Path(file).read_text().splitlines()[number - 1].strip()
            assert source == real, f"{file}:{number} shown as {source!r}, is {real!r}"
    assert any(os.path.samefile(file, program) for file, *_ in section.frames
               if os.path.exists(file)), \
        f"no frame of {program.name} under {section.title!r}"


def check_report(sections, program):
    """A report's shape: the access, the previous access, and the threads' creation sites."""
    titles = [section.title for section in sections]
    current, previous = sections[0], sections[1]
    assert _ACCESS.match(current.title) and not current.title.startswith("Previous "), titles
    assert previous.title.startswith("Previous ") and _ACCESS.match(previous.title), titles
    check_frames(current, program)
    check_frames(previous, program)
    threads = {_ACCESS.match(s.title)["thread"] for s in (current, previous)}
    created = [section for section in sections[2:] if _CREATED.match(section.title)]
    assert len(created) == len(threads - {"main thread"}), titles
    for section in created:
        check_frames(section, program)
    assert len(sections) == 2 + len(created), titles


@pytest.mark.parametrize("program", RACE_PROGRAMS, ids=lambda p: p.stem)
def test_race_is_reported(program):
    expected = expectation(program)
    assert expected != "no race", f"{program.name} is named race_ but expects no race"
    plain = run_program(program)
    result = run_program(program, "-X", "race")
    assert "WARNING: DATA RACE" in result.stderr, (
        f"race not reported\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    assert "Traceback" not in result.stderr, result.stderr
    assert GILLESS_PACKAGE not in result.stderr, result.stderr
    reports = parse_reports(result.stderr)
    assert reports, result.stderr
    for sections in reports:
        check_report(sections, program)
    locations = [_ACCESS.match(sections[index].title)["location"]
                 for sections in reports for index in (0, 1)]
    assert expected in locations, f"expected a race on {expected!r}, got {locations}"
    assert result.returncode == RACE_STATUS, result.stderr
    # The program's own output is unchanged.
    assert plain.returncode == 0, plain.stderr
    assert result.stdout == plain.stdout


@pytest.mark.parametrize("program", NORACE_PROGRAMS, ids=lambda p: p.stem)
def test_norace_runs_as_without_detector(program):
    assert expectation(program) == "no race", f"{program.name} is named norace_"
    plain = run_program(program)
    result = run_program(program, "-X", "race")
    assert "DATA RACE" not in result.stderr, result.stderr
    assert (result.stdout, result.stderr, result.returncode) == \
        (plain.stdout, plain.stderr, plain.returncode)


def test_corpus_is_complete():
    # Each program is one of the two kinds, and there is something of each.
    assert len(RACE_PROGRAMS) >= 15 and len(NORACE_PROGRAMS) >= 15
    for program in PROGRAMS.glob("*.py"):
        header = expectation(program) if program.name.startswith(("race_", "norace_")) else None
        if header is None:
            assert "not a program" in program.read_text().splitlines()[0], program.name


def test_the_reported_access_of_a_thread_running_alone_shows_its_own_callers():
    # While the main thread runs alone its accesses take their stacks from the stack
    # cache, which may hold an earlier call's outer frames; the access a report is about
    # is walked in full.
    program = PROGRAMS / "race_main_alone_after_unjoined_thread.py"
    result = run_program(program, "-X", "race")
    current = parse_reports(result.stderr)[0][0]
    assert [function for _file, _line, function, _source in current.frames] == \
        ["<module>", "read_shared", "dispatch", "read_value"], result.stderr
