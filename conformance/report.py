"""The conformance table: per module, gilless's counts beside the host CPython's,
as text for the terminal and as Markdown for docs/conformance.md."""

import os
import pathlib
import sys


def counts(outcomes):
    tally = {"run": len(outcomes), "passed": 0, "failed": 0, "errored": 0, "skipped": 0}
    for outcome in outcomes.values():
        tally[outcome] += 1
    return tally


COLUMNS = ("run", "passed", "failed", "errored", "skipped")


def totals(rows):
    total = {side: dict.fromkeys(COLUMNS, 0) for side in ("gilless", "cpython")}
    for row in rows:
        for side in total:
            for column in COLUMNS:
                total[side][column] += row[side][column]
    return total


def markdown_table(rows):
    header = ("| module | gilless run | passed | failed | errored | skipped "
              "| CPython run | passed | failed | errored | skipped | expected failures | ok |")
    lines = [header, "|" + "---|" * 13]
    for row in rows + [dict(module="**total**", ok=all(r["ok"] for r in rows),
                            expected_failures=sum(r["expected_failures"] for r in rows),
                            **totals(rows))]:
        cells = [row["module"]]
        cells += [str(row["gilless"][c]) for c in COLUMNS]
        cells += [str(row["cpython"][c]) for c in COLUMNS]
        cells += [str(row["expected_failures"]), "yes" if row["ok"] else "**no**"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def summary(rows):
    total = totals(rows)
    passing_modules = sum(row["ok"] for row in rows)
    return (f"modules passing: {passing_modules}/{len(rows)}; "
            f"gilless tests passed: {total['gilless']['passed']}/{total['gilless']['run']}; "
            f"CPython tests passed: {total['cpython']['passed']}/{total['cpython']['run']}")


def text_table(rows):
    lines = [f"{'module':32} {'gilless r/p/f/e/s':>26} {'CPython r/p/f/e/s':>26} "
             f"{'xfail':>5}  ok"]
    for row in rows:
        g = "/".join(str(row["gilless"][c]) for c in COLUMNS)
        c = "/".join(str(row["cpython"][c]) for c in COLUMNS)
        status = "" if row["gilless_status"] == "finished" else f"  [{row['gilless_status']}]"
        lines.append(f"{row['module']:32} {g:>26} {c:>26} {row['expected_failures']:>5}  "
                     f"{'yes' if row['ok'] else 'NO'}{status}")
    return "\n".join(lines) + "\n" + summary(rows) + "\n"


TABLE_START = "<!-- conformance table: start -->"
TABLE_END = "<!-- conformance table: end -->"


def update_docs(path, rows):
    """Put this run's table and summary between the table markers of a Markdown file."""
    path = pathlib.Path(path)
    text = path.read_text()
    before, start, rest = text.partition(TABLE_START)
    _, end, after = rest.partition(TABLE_END)
    if not start or not end:
        raise ValueError(f"{path} has no {TABLE_START} ... {TABLE_END} markers")
    host = "CPython {}.{}.{}".format(*sys.version_info[:3])
    table = (f"\nOn {host}, {os.cpu_count()} cores: {summary(rows)}.\n\n"
             + markdown_table(rows) + "\n")
    path.write_text(before + TABLE_START + table + TABLE_END + after)
