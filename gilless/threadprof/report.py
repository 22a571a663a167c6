"""The thread profiler's outputs: the report on stderr, the JSON file, the Chrome trace.

The text report starts with the ranked findings, then the tables: locks by
creation site, the other waits, threads, shared objects, serial phases. The
JSON file is the profile as `analysis.analyse` returns it. The trace is in
the Chrome trace-event format (a JSON object with `traceEvents`; complete
events, `"ph": "X"`, with microsecond `ts` and `dur`; thread names as
metadata events): one track per thread showing when it ran, waited for each
lock, condition or queue, slept, was in I/O, or was ready to run without
getting to (the GIL, or the host's internal locks). Perfetto and
`chrome://tracing` open it.
"""

import json
import os

from gilless.threadprof.analysis import is_start_up, short_text


def _seconds(value):
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1e6:.0f} us"


def _frame_text(frame):
    return f"{os.path.basename(frame['file'])}:{frame['line']} in {frame['function']}"


def _table(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = []
    for row in [header] + rows:
        cells = [str(cell).ljust(width) if index == 0 else str(cell).rjust(width)
                 for index, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def format_report(profile):
    host = profile["host"]
    lines = ["=" * 18, "gilless threadprof: "
             f"wall {_seconds(profile['wall_seconds'])}, CPU {_seconds(profile['cpu_seconds'])}, "
             f"parallelism {profile['parallelism']:.2f} of {profile['cores']} cores "
             f"({profile['threads_at_once']} threads at most could run at once; "
             f"host {host['name']})", ""]
    findings = profile["findings"]
    if findings:
        lines.append("Findings (lost parallel time, most costly first):")
        for number, finding in enumerate(findings, 1):
            lines.append(f"  {number}. {short_text(finding['line'] or finding['site'])}  "
                         f"{_seconds(finding['seconds'])}  {finding['share']:.0%}  "
                         f"{finding['kind']}: {finding['reading']}")
            lines.append(f"     at {finding['site']}"
                         + (f" (hottest line {finding['line']})"
                            if finding["line"] and finding["line"] != finding["site"] else ""))
    else:
        lines.append(f"No cause of lost parallelism found: the threads kept "
                     f"{profile['parallelism']:.2f} of {profile['cores']} cores busy.")
    for note in profile["notes"]:
        lines.append(f"Note: {note}")
    if profile["locks"]:
        lines += ["", "Locks (by creation site):"]
        # (A sampled lock's contention, waits and holds are estimates: "~".)
        rows = [[short_text(row["site"]), row["what"], row["instances"], row["acquisitions"],
                 f"{'~' * row['sampled']}{row['contended']} ({row['contended_share']:.0%})",
                 "~" * row["sampled"] + _seconds(row["wait_seconds"]),
                 _seconds(row["longest_wait"]),
                 "~" * row["sampled"] + _seconds(row["hold_seconds"]),
                 _seconds(row["longest_hold"])]
                for row in profile["locks"]]
        lines += _table(["created at", "what", "locks", "acquired", "contended", "waited",
                         "longest wait", "held", "longest hold"], rows)
        if any(row["sampled"] for row in profile["locks"]):
            lines.append("  (~: in part estimated, for a lock taken too often to time every "
                         "operation; acquisitions are exact)")
        for row in profile["locks"]:
            lines += _stacks(row)
    others = [row for row in profile["waits"] if row["what"] != "lock"]
    if others:
        lines += ["", "Other waits (conditions, events, queues, joins, sleeps):"]
        lines += _table(["at", "waiting for", "waits", "threads", "waited", "longest"],
                        [[short_text(row["site"]), row["what"], row["count"], row["threads"],
                          _seconds(row["seconds"]), _seconds(row["longest"])]
                         for row in others])
    lines += ["", "Threads:"]
    rows = []
    for row in profile["threads"]:
        waits = row["waits"]
        rows.append([row["name"], _seconds(row["wall_seconds"]), _seconds(row["cpu_seconds"]),
                     _seconds(waits["lock"]), _seconds(waits["condition"]),
                     _seconds(waits["queue"]), _seconds(waits["join"]),
                     _seconds(waits["sleep"]), _seconds(row["io_seconds"]),
                     _seconds(row["gil_seconds"] + row["internal_lock_seconds"]),
                     short_text(row["hottest_line"])])
    lines += _table(["thread", "wall", "CPU", "lock", "condition", "queue", "join", "sleep",
                     "I/O", "GIL" if host["gil"] else "host locks", "hottest line"], rows)
    lines.append(f"  parallelism: {profile['parallelism']:.2f} (CPU time / wall time) of "
                 f"{profile['cores']} cores")
    lines += ["", "Shared objects (sampled, used by several threads):"]
    if profile["shared_objects"]:
        lines += _table(["object", "assigned at", "threads", "samples", "hottest line",
                         "contention"],
                        [[f"{row['type']} {row['name']}", short_text(row["site"]),
                          row["threads"], f"{row['sample_share']:.0%}",
                          short_text(row["line"]), row["contention"]]
                         for row in profile["shared_objects"]])
    else:
        lines.append("  none")
    lines += ["", "Serial phases (at most one thread could run):"]
    if profile["serial_phases"]:
        lines += _table(["from", "to", "seconds", "mostly at"],
                        [[f"{phase['start']:.2f} s", f"{phase['end']:.2f} s",
                          _seconds(phase["seconds"]),
                          _phase_place(phase)]
                         for phase in profile["serial_phases"]])
    else:
        lines.append("  none")
    lines += [f"({profile['samples']} samples every {profile['sample_interval'] * 1000:.0f} ms)",
              "=" * 18, ""]
    return "\n".join(lines)


def _phase_place(phase):
    if is_start_up(phase):
        return "start-up and imports"
    if phase["line"] is None:
        return "no line of the program sampled"
    return short_text(phase["line"])


def _stacks(row):
    lines = []
    for stack in row["waiting_stacks"]:
        frames = " <- ".join(_frame_text(frame) for frame in stack["frames"])
        lines.append(f"    {_seconds(stack['seconds'])} in {stack['count']} waits "
                     f"for {short_text(row['site'])}: {frames}")
    return lines


# -- files ---------------------------------------------------------------------------

def companion_paths(path):
    """The trace and the PNG written beside the JSON file `path`."""
    base = path[:-5] if path.endswith(".json") else path
    return base + ".trace.json", base + ".png"


def write_files(profile, path, program):
    trace_path, png_path = companion_paths(path)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(profile, f, indent=1)
        f.write("\n")
    with open(trace_path, "w", encoding="utf-8") as f:
        json.dump(chrome_trace(profile, program), f)
        f.write("\n")
    from gilless.threadprof import png
    png.write_timeline(profile, png_path)
    return trace_path, png_path


# A sampled state -> its event's name on a thread's track.
_STATE_NAMES = {"running": "running", "io": "I/O",
                "gil-or-host-lock": "ready, not running (GIL or a host lock)"}


def chrome_trace(profile, program):
    pid = os.getpid()
    events = [{"ph": "M", "pid": pid, "tid": 0, "name": "process_name",
               "args": {"name": f"gilless {program}"}}]
    for thread in profile["timeline"]:
        tid = thread["index"]
        events.append({"ph": "M", "pid": pid, "tid": tid, "name": "thread_name",
                       "args": {"name": thread["name"]}})
        events.append({"ph": "M", "pid": pid, "tid": tid, "name": "thread_sort_index",
                       "args": {"sort_index": tid}})
        for begin, end, state, site in thread["segments"]:
            if state in _STATE_NAMES:
                name, args = _STATE_NAMES[state], {}
            elif state == "sleep":
                name, args = f"sleeping at {short_text(site)}", {"site": site}
            else:
                name, args = f"waiting for {state} {short_text(site)}", {"site": site}
            events.append({"ph": "X", "pid": pid, "tid": tid, "ts": round(begin * 1e6, 3),
                           "dur": round(max(end - begin, 0.0) * 1e6, 3), "name": name,
                           "cat": state, "args": args})
    return {"traceEvents": events, "displayTimeUnit": "ms",
            "otherData": {"tool": "gilless threadprof", "program": program}}
