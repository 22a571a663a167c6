"""The race detector's command line: switches, options, exit status, log and report files."""

import json
import os
import textwrap
from pathlib import Path

import pytest

from conftest import run_cpython, run_gilless

PROGRAMS = Path(__file__).parent / "programs"
RACY = PROGRAMS / "race_instance_attribute.py"
# The line of RACY where both threads race.
RACY_LINE = next(number for number, line in enumerate(RACY.read_text().splitlines(), 1)
                 if line.strip() == "stats.n += 1")
CLEAN = PROGRAMS / "norace_with_lock.py"


def write(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def races(stderr):
    return stderr.count("WARNING: DATA RACE")


# Two workers, each racing on two different lines (x, then y): two races.
TWO_RACES = """\
    import threading

    class Box:
        x = 0
        y = 0

    box = Box()

    def work():
        box.x = 1
        box.y = 1

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("finished")
"""


# -- switches ------------------------------------------------------------------------

def test_default_mode_reports_nothing():
    result = run_gilless(str(RACY))
    assert (result.returncode, races(result.stderr)) == (0, 0), result.stderr


def test_python_race_environment_switch():
    result = run_gilless(str(RACY), env={"PYTHON_RACE": "1"})
    assert races(result.stderr) == 1, result.stderr
    assert result.returncode == 66


def test_dash_c():
    code = RACY.read_text()
    result = run_gilless("-X", "race", "-c", code)
    assert races(result.stderr) == 1, result.stderr
    assert f'File "<string>", line {RACY_LINE}, in count' in result.stderr
    assert result.returncode == 66


def test_dash_m():
    result = run_gilless("-X", "race", "-m", RACY.stem, cwd=str(PROGRAMS))
    assert races(result.stderr) == 1, result.stderr
    assert f'File "{RACY}", line {RACY_LINE}, in count' in result.stderr
    assert result.stdout == "done\n"
    assert result.returncode == 66


def test_interactive_prompt():
    # The racy program typed at the prompt (a blank line ends each block).
    lines = []
    for line in RACY.read_text().splitlines():
        if line and not line[0].isspace() and lines and lines[-1][:1].isspace():
            lines.append("")
        lines.append(line)
    result = run_gilless("-X", "race", "-i", input="\n".join(lines) + "\n\n")
    assert races(result.stderr) == 1, result.stderr
    assert 'File "<stdin>", line 3, in count' in result.stderr
    assert "done" in result.stdout
    assert result.returncode == 66


# -- exit status ---------------------------------------------------------------------

def test_exit_status_of_a_failing_program_is_kept(tmp_path):
    program = write(tmp_path, "fails.py", TWO_RACES + "    raise SystemExit(3)\n")
    result = run_gilless("-X", "race", str(program))
    assert races(result.stderr) == 2, result.stderr
    assert result.returncode == 3


def test_exit_status_of_an_uncaught_exception_is_kept(tmp_path):
    program = write(tmp_path, "raises.py", TWO_RACES + "    raise ValueError('late')\n")
    result = run_gilless("-X", "race", str(program))
    assert races(result.stderr) == 2, result.stderr
    assert "ValueError: late" in result.stderr
    assert result.returncode == 1


def test_os_exit_gives_the_verdict_first(tmp_path):
    # As ThreadSanitizer's _exit: the summary, and `exitcode` for a status of 0; a forked
    # child's os._exit keeps its status and says nothing of its parent's races.
    program = write(tmp_path, "os_exit.py", TWO_RACES + """\
    import os, sys
    child = os.fork()
    if child == 0:
        os._exit(0)
    print("child", os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]), flush=True)
    os._exit(int(sys.argv[1]))
""")
    for status, expected in (("0", 66), ("5", 5)):
        result = run_gilless("-X", "race", str(program), status)
        assert races(result.stderr) == 2, result.stderr
        assert result.stderr.count("Found 2 data race(s)") == 1, result.stderr
        assert result.stdout == "finished\nchild 0\n"
        assert result.returncode == expected


def test_exitcode_option(tmp_path):
    program = write(tmp_path, "two.py", TWO_RACES)
    result = run_gilless("-X", "race=exitcode=7", str(program))
    assert races(result.stderr) == 2, result.stderr
    assert result.returncode == 7


def test_options_from_the_environment(tmp_path):
    program = write(tmp_path, "two.py", TWO_RACES)
    result = run_gilless("-X", "race", str(program), env={"GILLESS_RACE": "exitcode=9"})
    assert races(result.stderr) == 2, result.stderr
    assert result.returncode == 9


def test_a_race_free_program_keeps_status_zero():
    result = run_gilless("-X", "race=exitcode=7", str(CLEAN))
    assert (result.returncode, races(result.stderr)) == (0, 0), result.stderr


def test_halt_on_error_stops_at_the_first_race(tmp_path):
    program = write(tmp_path, "two.py", TWO_RACES)
    result = run_gilless("-X", "race=halt_on_error=1", str(program))
    assert races(result.stderr) == 1, result.stderr
    # The program stopped in a worker, before the main thread's last line.
    assert "finished" not in result.stdout
    assert result.returncode == 66


def test_halt_on_error_with_exitcode(tmp_path):
    program = write(tmp_path, "two.py", TWO_RACES)
    result = run_gilless("-X", "race=halt_on_error=1,exitcode=5", str(program))
    assert races(result.stderr) == 1, result.stderr
    assert result.returncode == 5


@pytest.mark.parametrize("options", ["race=bogus=1", "race=exitcode=often", "race=halt_on_error",
                                     "race=history_size=8", "race=history_size=-1"])
def test_a_bad_option_is_a_usage_error(options):
    result = run_gilless("-X", options, str(CLEAN))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "race" in result.stderr and "usage:" in result.stderr, result.stderr
    word = options.split("=")[1]
    assert word in result.stderr


def test_a_bad_environment_option_is_a_usage_error():
    result = run_gilless("-X", "race", str(CLEAN), env={"GILLESS_RACE": "nonsense=1"})
    assert result.returncode == 2
    assert "nonsense" in result.stderr


# -- suppressions ------------------------------------------------------------------

# The first reader takes the resource lock under the count lock, the last one gives it
# back under it: both orders, in one thread, with no deadlock possible (the count
# orders them), which only the program's author can tell.
READERS_GATE = """\
    import threading

    count_lock, resource = threading.Lock(), threading.Lock()
    readers = 0

    def read_acquire():
        global readers
        with count_lock:
            readers += 1
            if readers == 1:
                resource.acquire()

    def read_release():
        global readers
        with count_lock:
            readers -= 1
            if readers == 0:
                resource.release()

    read_acquire()
    read_release()
    print("finished")
"""


@pytest.mark.parametrize("lines, reported", [
    ("race:work", 0), ("# none\n\nrace:^work$", 0), ("race:two.py", 0), ("race:w*k", 0),
    ("race:^wor$", 2), ("race:main", 2), ("deadlock:work", 2)])
def test_a_suppression_matches_a_function_or_file_of_a_race(tmp_path, lines, reported):
    program = write(tmp_path, "two.py", TWO_RACES)
    suppressions = write(tmp_path, "suppressions.txt", lines + "\n")
    result = run_gilless("-X", f"race=suppressions={suppressions}", str(program))
    assert races(result.stderr) == reported, result.stderr
    assert result.returncode == (66 if reported else 0), result.stderr
    assert result.stdout == "finished\n"


def test_a_suppression_of_a_lock_order_inversion(tmp_path):
    program = write(tmp_path, "gate.py", READERS_GATE)
    result = run_gilless("-X", "race", str(program))
    assert "lock-order inversion" in result.stderr and result.returncode == 66
    suppressions = write(tmp_path, "suppressions.txt", "deadlock:read_release\n")
    result = run_gilless(str(program), env={"GILLESS_RACE": f"suppressions={suppressions}",
                                            "PYTHON_RACE": "1"})
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "finished\n")


@pytest.mark.parametrize("lines, words", [
    ("race work", ["line 1", "race work"]), ("thread:work", ["line 1", "thread:work"]),
    ("race:work\nrace:", ["line 2", "race:"])])
def test_a_bad_suppression_is_a_usage_error(tmp_path, lines, words):
    suppressions = write(tmp_path, "suppressions.txt", lines + "\n")
    result = run_gilless("-X", f"race=suppressions={suppressions}", str(CLEAN))
    assert result.returncode == 2 and result.stdout == ""
    for word in [str(suppressions), *words]:
        assert word in result.stderr, result.stderr


def test_a_missing_suppressions_file_is_a_usage_error(tmp_path):
    result = run_gilless("-X", f"race=suppressions={tmp_path / 'none.txt'}", str(CLEAN))
    assert result.returncode == 2
    assert "none.txt" in result.stderr and "No such file" in result.stderr, result.stderr


# -- where reports go ----------------------------------------------------------------

def test_log_path_writes_to_a_file_named_for_the_process(tmp_path):
    program = write(tmp_path, "pid.py", "import os\nprint(os.getpid())\n" + textwrap.dedent(TWO_RACES))
    log = tmp_path / "logs" / "race"
    log.parent.mkdir()
    result = run_gilless("-X", f"race=log_path={log}", str(program))
    assert races(result.stderr) == 0, result.stderr
    pid = result.stdout.splitlines()[0]
    files = list(log.parent.iterdir())
    assert [f.name for f in files] == [f"race.{pid}"]
    assert races(files[0].read_text()) == 2
    assert result.returncode == 66


def test_each_race_is_reported_once_per_pair_of_lines(tmp_path):
    program = write(tmp_path, "many.py", """\
        import threading

        class Counter:
            n = 0

        counter = Counter()

        def work():
            for _ in range(2000):
                counter.n = counter.n + 1
            for _ in range(2000):
                counter.n += 1

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    """)
    result = run_gilless("-X", "race", str(program))
    lines = {line for line in result.stderr.splitlines() if line.startswith("  File ")
             and "in work" in line}
    # Line 10 against itself, 12 against itself, and 10 against 12: at most three races,
    # each reported once, however many times it happened.
    assert 1 <= races(result.stderr) <= 3, result.stderr
    assert lines <= {f'  File "{program}", line 10, in work',
                     f'  File "{program}", line 12, in work'}
    pairs = []
    for block in result.stderr.split("WARNING: DATA RACE")[1:]:
        numbers = [line.split(", line ")[1].split(",")[0] for line in block.splitlines()
                   if line.startswith(f'  File "{program}"') and "in work" in line]
        pairs.append(frozenset(numbers[:2]))
    assert len(pairs) == len(set(pairs)), pairs


# -- machine-readable reports --------------------------------------------------------

def _stack_lines(stack):
    return [(frame["file"], frame["line"]) for frame in stack]


def test_json_report(tmp_path):
    report = tmp_path / "races.json"
    result = run_gilless("-X", f"race_report={report}", str(RACY))
    assert races(result.stderr) == 1, result.stderr
    assert result.returncode == 66
    document = json.loads(report.read_text())
    [race] = document["races"]
    assert race["location"] == "attribute 'n' of Stats object"
    for access in (race["current"], race["previous"]):
        assert access["kind"] in ("read", "write")
        assert (str(RACY), RACY_LINE) in _stack_lines(access["stack"])
        innermost = access["stack"][-1]
        assert (innermost["line"], innermost["function"], innermost["source"]) == \
            (RACY_LINE, "count", "stats.n += 1")
        created = access["thread_created_at"]
        assert created, access
        start = created[-1]
        assert start["file"] == str(RACY) and start["source"] == "thread.start()"
    assert race["current"]["thread"]["id"] != race["previous"]["thread"]["id"]
    assert "WARNING: DATA RACE" in race["text"]


def test_a_run_of_stores_reports_each_at_its_line(tmp_path):
    # The stores of a run are reported by one event after the last (see
    # gilless.compiler.accesses), the first's value may call, and the values may be new
    # containers; each write still names its own line.
    program = write(tmp_path, "run.py", """\
        import threading
        import time

        class Pair:
            pass

        def fill(pair, first, second):
            pair.left = abs(first)
            pair.right = second * 2
            pair.items = [first, {}]

        pair = Pair()
        thread = threading.Thread(target=fill, args=(pair, 1, 2))
        thread.start()
        time.sleep(0.2)
        print(pair.right, pair.left, pair.items)
        thread.join()
    """)
    result, lines = _previous_writes(tmp_path, program)
    assert result.stdout == "4 1 [1, {}]\n" and races(result.stderr) == 3, result.stderr
    assert lines == {"attribute 'left' of Pair object": (8, "pair.left = abs(first)"),
                     "attribute 'right' of Pair object": (9, "pair.right = second * 2"),
                     "attribute 'items' of Pair object": (10, "pair.items = [first, {}]")}


def test_a_run_of_updates_reports_each_at_its_line(tmp_path):
    # Augmented assignments of attributes, and of items at constant keys, make runs too.
    program = write(tmp_path, "updates.py", """\
        import threading
        import time

        class Pair:
            left = right = 0

        def bump(pair, values, step):
            pair.left += step
            pair.right -= step * 2
            values[0] += step
            values[1] *= step

        pair, values = Pair(), [1, 2]
        pair.left = pair.right = 0
        thread = threading.Thread(target=bump, args=(pair, values, 3))
        thread.start()
        time.sleep(0.2)
        print(pair.right, pair.left, values[1], values[0])
        thread.join()
    """)
    result, lines = _previous_writes(tmp_path, program)
    assert result.stdout == "-6 3 6 4\n" and races(result.stderr) == 4, result.stderr
    assert {location: line for location, (line, _) in lines.items()} == {
        "attribute 'left' of Pair object": 8, "attribute 'right' of Pair object": 9,
        "item 0 of list": 10, "item 1 of list": 11}


def test_a_run_of_reads_reports_each_at_its_line(tmp_path):
    # Reads of one variable's attributes in a run of statements are reported by one
    # event before the first; each read still names its own line.
    program = write(tmp_path, "reads.py", """\
        import threading
        import time

        class Pair:
            def __init__(self):
                self.left, self.right = 1, 2

        def total(pair, out):
            first = pair.left
            second = pair.right * 2
            out.append(first + second if pair.left > 0 else pair.left)

        pair, out = Pair(), []
        thread = threading.Thread(target=total, args=(pair, out))
        thread.start()
        time.sleep(0.2)
        pair.left = pair.right = 0
        thread.join()
        print(out)
    """)
    result, lines = _previous_accesses(tmp_path, program, "read")
    assert result.stdout == "[5]\n" and races(result.stderr) == 2, result.stderr
    assert lines == {"attribute 'left' of Pair object": (9, "first = pair.left"),
                     "attribute 'right' of Pair object": (10, "second = pair.right * 2")}


def test_objects_made_alike_report_where_each_was_made(tmp_path):
    # Objects made at the same place in the same epoch share their first records (see
    # gilless.race.detector._SHARED), a run's and single stores' alike; an object made
    # elsewhere, by the same __init__, has records of its own, which name the line that
    # made it.
    program = write(tmp_path, "made.py", """\
        import threading
        import time

        class Box:
            def __init__(self, value):
                self.value = value
                self.twice = value * 2
                self.label = str(value)

        def read(out):
            time.sleep(0.2)
            out.append((last.value, last.twice, last.label))

        out = []
        thread = threading.Thread(target=read, args=(out,))
        thread.start()
        boxes = [Box(value) for value in range(3)]
        last = Box(7)
        thread.join()
        print(out)
    """)
    report = tmp_path / "races.json"
    result = run_gilless("-X", f"race_report={report}", str(program))
    assert result.stdout == "[(7, 14, '7')]\n", result.stderr
    made = {}
    for race in json.loads(report.read_text())["races"]:
        if race["location"].endswith("of Box object"):
            stack = race["previous"]["stack"]
            made[race["location"]] = [(frame["line"], frame["source"]) for frame in stack[-2:]]
    assert made == {
        f"attribute '{name}' of Box object": [(18, "last = Box(7)"), (line, source)]
        for name, line, source in (("value", 6, "self.value = value"),
                                   ("twice", 7, "self.twice = value * 2"),
                                   ("label", 8, "self.label = str(value)"))}, result.stderr


def _previous_writes(tmp_path, program):
    """`program` run under the detector, and the line and source of the innermost frame
    of each race's previous access, a write, by location."""
    return _previous_accesses(tmp_path, program, "write")


def _previous_accesses(tmp_path, program, kind):
    """`program` run under the detector, and the line and source of the innermost frame
    of each race's previous access, of `kind`, by location."""
    report = tmp_path / "races.json"
    result = run_gilless("-X", f"race_report={report}", str(program))
    lines = {}
    for race in json.loads(report.read_text())["races"]:
        assert race["previous"]["kind"] == kind
        innermost = race["previous"]["stack"][-1]
        lines[race["location"]] = (innermost["line"], innermost["source"])
    return result, lines


def test_sarif_report(tmp_path):
    report = tmp_path / "races.sarif"
    result = run_gilless("-X", f"race_report={report}", str(RACY), cwd=str(PROGRAMS))
    assert races(result.stderr) == 1, result.stderr
    assert result.returncode == 66
    document = json.loads(report.read_text())
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"]
    rule_ids = {rule["id"] for rule in driver.get("rules", [])}
    [result_] = run["results"]
    assert result_["ruleId"] and (not rule_ids or result_["ruleId"] in rule_ids)
    assert result_["message"]["text"]
    [location] = result_["locations"]
    physical = location["physicalLocation"]
    uri = physical["artifactLocation"]["uri"]
    path = uri[len("file://"):] if uri.startswith("file://") else os.path.join(PROGRAMS, uri)
    assert os.path.samefile(path, RACY)
    assert physical["region"]["startLine"] == RACY_LINE
    # Each thread's flow lists its stack's lines, outermost first, ending at the race.
    flows = result_["codeFlows"][0]["threadFlows"]
    assert len(flows) == 2
    for flow in flows:
        lines = [step["location"]["physicalLocation"]["region"]["startLine"]
                 for step in flow["locations"]]
        assert lines[-1] == RACY_LINE, lines


def test_report_file_with_race_options(tmp_path):
    report = tmp_path / "races.json"
    result = run_gilless("-X", f"race=report={report},exitcode=3", str(RACY))
    assert result.returncode == 3
    assert len(json.loads(report.read_text())["races"]) == 1


def test_report_file_of_a_race_free_program(tmp_path):
    report = tmp_path / "races.json"
    result = run_gilless("-X", f"race_report={report}", str(CLEAN))
    assert result.returncode == 0, result.stderr
    assert json.loads(report.read_text())["races"] == []


def test_the_collectors_thresholds_are_the_programs(tmp_path):
    # The detector scales the host's first threshold (see gilless.race); the program
    # sees and sets its own, as in CPython.
    program = write(tmp_path, "thresholds.py", """\
        import gc
        print(gc.get_threshold())
        gc.set_threshold(100)
        print(gc.get_threshold())
        gc.set_threshold(0, 5, 6)
        print(gc.get_threshold())
        for arguments in ((), ("x",), (1, 2, 3, 4)):
            try:
                gc.set_threshold(*arguments)
            except TypeError as error:
                print(error)
        print(gc.get_threshold(), gc.get_threshold, gc.set_threshold)
    """)
    expected = run_cpython(str(program))
    result = run_gilless("-X", "race", str(program))
    assert (result.stdout, result.stderr, result.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)


def test_race_zero_is_the_default_mode():
    result = run_gilless("-X", "race=0", str(RACY))
    assert (result.returncode, races(result.stderr)) == (0, 0), result.stderr


@pytest.mark.parametrize("option", ["race=", "race=1"])
def test_race_with_an_empty_value_or_one_is_on(option):
    # As CPython's -X options that switch something on (-X dev=, -X importtime=).
    result = run_gilless("-X", option, str(RACY))
    assert (result.returncode, races(result.stderr)) == (66, 1), result.stderr


def test_race_and_the_gil_mode_exclude_each_other():
    result = run_gilless("-X", "race", "-X", "gil=1", str(CLEAN))
    assert result.returncode == 2
    assert "gil" in result.stderr
