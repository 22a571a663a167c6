"""CPython's own regression tests under gilless, beside the host CPython.

    python -m conformance [MODULE...] [--jobs N] [--timeout S] [--output DIR]

Each chosen module of the host's `test` package runs in its own process,
once under gilless and once under the host CPython, through
`conformance/driver.py` (the host's `unittest`, one JSON line per outcome).
A process per module keeps one crash or hang from taking the others down:
a module that dies or runs past the timeout counts as failed, and so does
the test it was running. The two interpreters' counts come from the same
run on the same machine, so they compare directly.

gilless's failures are checked against `conformance/expected-failures.txt`,
one test id per line with a one-line reason. A failing test missing from
the list is a regression; a listed test that no longer fails is an
unexpected pass and must be taken off the list, so the list only shrinks.
The exit status is non-zero on either. The table is printed and written as
JSON and Markdown under the output directory.
"""

import argparse
import concurrent.futures
import json
import os
import pathlib
import sys
import time

from conformance import module_run
from conformance.module_run import run_module
from conformance.report import counts, markdown_table, summary, text_table, update_docs

# The lists sit beside the runner that reads them.
MODULES_FILE = pathlib.Path(__file__).with_name("modules.txt")
EXPECTED_FAILURES_FILE = pathlib.Path(__file__).with_name("expected-failures.txt")
# The hosts the expected-failures list is kept for (those CI runs): test ids and
# the failures themselves differ between CPython versions (3.13 has no
# test_unicode) and builds (only a free-threaded host guards generators), so
# an entry may name the hosts it is for, and on other hosts the list does not
# hold.
EXPECTED_FAILURES_HOSTS = ("3.11", "3.13t")
# At most this share of a module's tests may be on the expected-failures list.
MAX_EXPECTED_SHARE = 0.05


# -- lists kept in the repository ---------------------------------------------

def read_modules(path=MODULES_FILE):
    """The modules to run: of each line's names, the first the host's `test` package has."""
    modules = []
    for line in pathlib.Path(path).read_text().splitlines():
        names = line.split("#", 1)[0].split()
        if names:
            modules.append(next((name for name in names if host_has_test(name)), names[0]))
    return modules


def host_has_test(module):
    import sysconfig
    relative = module.replace(".", os.sep)
    stdlib = pathlib.Path(sysconfig.get_paths()["stdlib"])
    return (stdlib / (relative + ".py")).exists() or (stdlib / relative).is_dir()


def host_tag():
    """This host as the list's entries name hosts: "3.11", "3.13t" (free-threaded)."""
    import sysconfig
    free_threaded = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    return f"{sys.version_info[0]}.{sys.version_info[1]}{free_threaded}"


def host_matches(tag, host):
    """Whether an entry's host `tag` names `host`: "3.13" names 3.13 of either build,
    "3.13t" the free-threaded one only."""
    return tag == host or tag == host.rstrip("t")


def parse_expected_failures(path=EXPECTED_FAILURES_FILE):
    """The list's entries as (test id, hosts or None for all, reason), from lines
    `ID  # reason` and `[HOST ...] ID  # reason`."""
    entries = []
    path = pathlib.Path(path)
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text().splitlines(), 1):
        text, _, reason = line.partition("#")
        text = text.strip()
        hosts = None
        if text.startswith("["):
            tags, closed, text = text[1:].partition("]")
            hosts = tuple(tags.split())
            if not closed or not hosts:
                raise ValueError(f"{path}:{number}: no hosts in brackets: {line.strip()}")
            text = text.strip()
        test_id = text
        if not test_id:
            continue
        if not reason.strip():
            raise ValueError(f"{path}:{number}: {test_id} has no reason")
        entries.append((test_id, hosts, reason.strip()))
    return entries


def read_expected_failures(path=EXPECTED_FAILURES_FILE, host=None):
    """{test id: reason} of the entries for `host` (by default this one)."""
    host = host or host_tag()
    return {test_id: reason for test_id, hosts, reason in parse_expected_failures(path)
            if hosts is None or any(host_matches(tag, host) for tag in hosts)}


def module_of(test_id, modules):
    """The listed module a test id belongs to (the longest matching prefix)."""
    best = None
    for module in modules:
        # Plain ids, "setUpClass (MODULE.Class)" and unittest's "..._FailedTest.MODULE".
        if test_id == module or test_id.startswith(module + ".") or \
                test_id.endswith((f"({module})", f".{module}")) or f"({module}." in test_id:
            if best is None or len(module) > len(best):
                best = module
    return best


# -- comparing with the expected-failures list --------------------------------

FLAKY = "flaky:"


def compare(module, gilless_result, expected, cpython_result=None):
    """Regressions, unexpected passes and the expected-failure entries of one module.
    A test that the host CPython fails too in the same run is not a regression (CPython
    3.13.5t's test_tracemalloc checks the depth of whichever allocation is traced
    second, which "can vary", its comment says, by where the suite runs)."""
    outcomes = gilless_result["outcomes"]
    listed = {test_id for test_id in expected if module_of(test_id, [module]) == module}
    # A test whose outcome varies between identical runs of CPython itself: neither its
    # failure nor its pass says anything.
    flaky = {test_id for test_id in listed if expected[test_id].startswith(FLAKY)}
    listed -= flaky
    failing = {test_id for test_id, outcome in outcomes.items()
               if outcome in ("failed", "errored")} - flaky
    if cpython_result is not None:
        failing -= {test_id for test_id, outcome in cpython_result["outcomes"].items()
                    if outcome in ("failed", "errored") and test_id not in listed}
    regressions = sorted(failing - listed)
    if gilless_result["status"] != "finished":
        regressions.insert(0, f"{module} ({gilless_result['status']})")
    unexpected_passes = sorted(listed - failing)
    return {"listed": len(listed), "regressions": regressions,
            "unexpected_passes": unexpected_passes}


def module_row(module, results, expected):
    gilless_result, cpython_result = results["gilless"], results["cpython"]
    verdict = compare(module, gilless_result, expected, cpython_result)
    gilless_counts = counts(gilless_result["outcomes"])
    share = verdict["listed"] / gilless_counts["run"] if gilless_counts["run"] else 0.0
    ok = (not verdict["regressions"] and not verdict["unexpected_passes"]
          and share < MAX_EXPECTED_SHARE)
    return {
        "module": module, "ok": ok, "gilless": gilless_counts,
        "cpython": counts(cpython_result["outcomes"]),
        "gilless_status": gilless_result["status"], "cpython_status": cpython_result["status"],
        "gilless_seconds": gilless_result["seconds"],
        "cpython_seconds": cpython_result["seconds"],
        "expected_failures": verdict["listed"], "expected_share": round(share, 4),
        "regressions": verdict["regressions"],
        "unexpected_passes": verdict["unexpected_passes"],
        "failure_details": {test_id: gilless_result["details"].get(test_id, "")
                            for test_id in verdict["regressions"]},
        "gilless_output_tail": gilless_result["output_tail"],
    }


# -- the command --------------------------------------------------------------

def run_all(modules, jobs, timeout, progress=None):
    results = {module: {} for module in modules}
    work = [(interpreter, module) for module in modules
            for interpreter in module_run.INTERPRETERS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_module, interpreter, module, timeout): (interpreter, module)
                   for interpreter, module in work}
        for future in concurrent.futures.as_completed(futures):
            interpreter, module = futures[future]
            result = future.result()
            results[module][interpreter] = result
            if progress:
                progress(result)
    return results


def rerun_regressions(results, modules, expected, jobs, timeout, progress=None):
    """Run each module with regressions once more under gilless, as regrtest reruns
    its failures: a test that fails once and then passes is flaky, reported as
    such rather than as a regression. Returns {module: [flaky test ids]}."""
    again = [module for module in modules
             if compare(module, results[module]["gilless"], expected,
                        results[module].get("cpython"))["regressions"]]
    flaky = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        seconds = pool.map(lambda module: run_module("gilless", module, timeout), again)
        for module, second in zip(again, seconds):
            if progress:
                progress(second)
            first = results[module]["gilless"]
            if second["status"] != "finished":
                continue
            if first["status"] != "finished":
                flaky[module] = [f"{module} ({first['status']})"]
                results[module]["gilless"] = second
                continue
            for test_id, outcome in first["outcomes"].items():
                if outcome in ("failed", "errored") and \
                        second["outcomes"].get(test_id) in ("passed", "skipped"):
                    first["outcomes"][test_id] = second["outcomes"][test_id]
                    flaky.setdefault(module, []).append(test_id)
    return flaky


def write_expected_failures(path, rows, results, previous):
    """Rewrite the list from this run: keep reasons already given, note new failures."""
    lines = []
    for row in rows:
        module = row["module"]
        gilless_result = results[module]["gilless"]
        failing = sorted(test_id for test_id, outcome in gilless_result["outcomes"].items()
                         if outcome in ("failed", "errored"))
        if failing:
            lines.append(f"# {module}")
        for test_id in failing:
            reason = previous.get(test_id) or _first_error_line(
                gilless_result["details"].get(test_id, "")) or "fails under gilless"
            lines.append(f"{test_id}  # {reason}")
    pathlib.Path(path).write_text("\n".join(lines) + "\n")

def _first_error_line(detail):
    lines = [line.strip() for line in detail.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m conformance",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="test modules (default: conformance/modules.txt)")
    parser.add_argument("--jobs", type=int, default=2, help="processes at a time (default 2)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds one module may run (default 300)")
    parser.add_argument("--output", default=os.path.join("build", "conformance"),
                        help="directory for results.json and results.md (default %(default)s)")
    parser.add_argument("--expected", default=str(EXPECTED_FAILURES_FILE),
                        help="the expected-failures list")
    parser.add_argument("--no-rerun", action="store_true",
                        help="do not run modules with regressions a second time")
    parser.add_argument("--gilless-option", action="append", default=[], metavar="OPTION",
                        help="an option for the gilless command, as --gilless-option=-Xgil=1 (repeatable)")
    parser.add_argument("--update-docs", metavar="PATH",
                        help="replace the table between the table markers of this Markdown file")
    parser.add_argument("--write-expected", metavar="PATH",
                        help="write this run's gilless failures as an expected-failures list")
    args = parser.parse_args(argv)

    modules = [m if m.startswith("test.") else f"test.{m}" for m in args.modules] or \
        read_modules()
    module_run.INTERPRETERS["gilless"] = module_run.INTERPRETERS["gilless"] + args.gilless_option
    expected = read_expected_failures(args.expected)

    def progress(result):
        tally = counts(result["outcomes"])
        print(f"  {result['interpreter']:8} {result['module']:40} {result['status']:12} "
              f"{tally['passed']}/{tally['run']} passed  {result['seconds']}s", flush=True)

    started = time.monotonic()
    results = run_all(modules, args.jobs, args.timeout, progress)
    flaky = {}
    if not args.no_rerun:
        flaky = rerun_regressions(results, modules, expected, args.jobs, args.timeout,
                                  progress)
    rows = [module_row(module, results[module], expected) for module in modules]
    for row in rows:
        row["flaky"] = flaky.get(row["module"], [])
    elapsed = time.monotonic() - started

    output = pathlib.Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    report = {"host": sys.version, "seconds": round(elapsed, 1), "summary": summary(rows),
              "modules": rows}
    (output / "results.json").write_text(json.dumps(report, indent=1))
    (output / "results.md").write_text(markdown_table(rows) + "\n" + summary(rows) + "\n")
    if args.write_expected:
        write_expected_failures(args.write_expected, rows, results, expected)
    if args.update_docs:
        update_docs(args.update_docs, rows)

    print(text_table(rows), end="")
    failed = False
    for row in rows:
        for test_id in row["flaky"]:
            print(f"FLAKY {test_id}: failed, then passed when run again")
        for test_id in row["regressions"]:
            failed = True
            print(f"REGRESSION {test_id}: "
                  f"{_first_error_line(row['failure_details'].get(test_id, ''))}")
        for test_id in row["unexpected_passes"]:
            failed = True
            print(f"UNEXPECTED PASS {test_id}: take it off {args.expected}")
        if row["expected_share"] >= MAX_EXPECTED_SHARE:
            failed = True
            print(f"TOO MANY EXPECTED FAILURES in {row['module']}: "
                  f"{row['expected_failures']} of {row['gilless']['run']} tests")
    print(f"{elapsed:.0f}s; results in {output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
