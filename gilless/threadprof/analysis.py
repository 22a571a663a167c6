"""From what was recorded and sampled to the profile: findings, locks, threads, phases.

Every cause is costed in the same unit, thread-seconds of lost parallel time,
so the findings can be ranked:

- a wait (a lock, a condition, a queue, an event, a sleep) costs its duration
  while the threads not waiting could not keep the cores busy: all of it when
  there are no more threads than cores, less when a waiting thread leaves its
  core to another (`_wait_costs`); joins are not a loss: a thread that waits
  for the others to end has nothing else to do, and the time shows as a serial
  phase when it matters;
- time in system calls other than futex is I/O, from the samples;
- on a host with a GIL, the time threads were ready to run but did not
  (neither on a core nor in a known wait nor in I/O) is the GIL's; on a
  free-threaded host, the sampled futex time outside known waits is the host's
  internal locks (per-object locks of shared containers, the runtime's), and
  the rest of the ready-but-not-running time is cores busy with other work,
  reported as a note, not as the program's fault;
- a serial phase (at most one thread could run: the others not started,
  ended or joining) costs its duration times the parallelism the program
  reached elsewhere, less one;
- a shared object, on a free-threaded host, costs the sampled time its
  threads spent on lines that name it, times (1 - 1/k) for k threads: an
  estimate of what reference-count or per-object-lock contention can take
  away, not a measurement of it (the sampler cannot see a cache line bounce).

The share of a finding is its cost over the run's capacity: the wall time
times the parallelism the program reached (at most the cores).
"""

import os

from gilless.threadprof.recorder import PROGRAM, frame_kind
from gilless.threadprof.sampler import FUTEX, IMPORT, RUNNING, SYSCALL, UNKNOWN

# A finding is listed if it costs at least this share of the run's capacity.
MIN_SHARE = 0.03
MIN_SECONDS = 0.005
# A shared object is reported if its lines take this share of its threads' samples.
MIN_OBJECT_SHARE = 0.10
# Serial phases shorter than this share of the run are left out.
MIN_PHASE_SHARE = 0.02
NOT_A_LOSS = frozenset({"join", "thread start"})
# Wait categories, grouped as the per-thread table shows them.
THREAD_COLUMNS = {"lock": "lock", "condition": "condition", "event": "condition",
                  "barrier": "condition", "semaphore": "condition", "future": "condition",
                  "queue get": "queue", "queue put": "queue", "queue join": "queue",
                  "idle worker": "queue", "join": "join", "thread start": "join", "sleep": "sleep"}


def _duration(seconds):
    if seconds < 1e-5:
        return f"{seconds * 1e6:.1f} us"
    return f"{seconds * 1e6:.0f} us" if seconds < 1e-3 else f"{seconds * 1000:.1f} ms"


def location(site):
    return f"{site[0]}:{site[1]}" if site else "?"


def short(site):
    return f"{os.path.basename(site[0])}:{site[1]}" if site else "?"


def analyse(recorder, sampler, host):
    """The profile, as plain data (what the JSON file holds)."""
    start, end = recorder.start_time, recorder.end_time
    wall = max(end - start, 1e-9)
    threads = [record for record in recorder.threads if record.start is not None]
    for record in threads:
        if record.end is None:
            # A daemon thread still running at exit.
            record.end = end
    phases, max_active = _serial_phases(threads, start, end)
    cores = host["cores"]
    parallel = max(1, min(max_active, cores))
    capacity = wall * parallel
    cpu_total = sum(record.cpu or 0.0 for record in threads)
    waits = _merged_waits(threads)
    timeline = _timeline(threads, start)
    gil = _gil_seconds(timeline, cores) if host["gil"] else {}
    thread_rows = [_thread_row(record, host, gil.get(record.index, 0.0)) for record in threads]
    alive = {record.index: record.end - record.start for record in threads}
    locks = _lock_rows(recorder, waits)
    imbalance = _imbalance(phases, threads, start, parallel)
    findings = []
    findings += _wait_findings(waits, alive, {row["site"]: row for row in locks}, imbalance,
                               _wait_costs(timeline, cores))
    findings += _sampled_findings(threads, thread_rows, host)
    objects = _shared_objects(sampler, threads, host)
    findings += [_object_finding(row) for row in objects if row["seconds_lost"] > 0]
    if max_active > 1:
        findings += [_phase_finding(phase, parallel, wall) for phase in phases
                     if not is_start_up(phase)]
    for finding in findings:
        finding["share"] = finding["seconds"] / capacity
    findings = sorted((f for f in findings if f["seconds"] >= MIN_SECONDS
                       and f["share"] >= MIN_SHARE), key=lambda f: -f["seconds"])
    notes = _notes(thread_rows, host, wall, max_active, cpu_total)
    return {
        "wall_seconds": wall, "cpu_seconds": cpu_total, "parallelism": cpu_total / wall,
        "threads_at_once": max_active, "cores": cores, "capacity_seconds": capacity,
        "host": host, "sample_interval": sampler.interval, "samples": sampler.ticks,
        "sampler_seconds": sampler.overhead,
        "findings": findings, "locks": locks, "waits": _wait_rows(waits),
        "threads": thread_rows, "shared_objects": objects,
        "serial_phases": [dict(phase, line=_line_text(phase["line"])) for phase in phases],
        "notes": notes,
        "timeline": timeline,
    }


# -- waits -------------------------------------------------------------------------

def _merged_waits(threads):
    """(category, site) -> totals over the threads, with each thread's share."""
    merged = {}
    for record in threads:
        for key, stats in record.all_waits():
            if key in merged:
                entry = merged[key]
            else:
                entry = merged[key] = {"count": 0, "seconds": 0.0, "longest": 0.0,
                                       "stacks": {}, "threads": {}}
            entry["count"] += stats.count
            entry["seconds"] += stats.seconds
            entry["longest"] = max(entry["longest"], stats.longest)
            entry["threads"][record.index] = entry["threads"].get(record.index, 0.0) + stats.seconds
            for stack, (count, seconds) in list(stats.stacks.items()):
                totals = entry["stacks"].setdefault(stack, [0, 0.0])
                totals[0] += count
                totals[1] += seconds
    # (A sampled lock's counts are estimates: see gilless.instrument.sync.finish.)
    for entry in merged.values():
        entry["count"] = round(entry["count"])
        for totals in entry["stacks"].values():
            totals[0] = round(totals[0])
    return merged


def _hottest_program_line(stacks):
    """The program line that waited longest, over the stacks of a wait."""
    by_line = {}
    for stack, (_, seconds) in stacks.items():
        line = next(((file, number) for file, number, _ in stack
                     if frame_kind(file) == PROGRAM), None)
        if line is not None:
            by_line[line] = by_line.get(line, 0.0) + seconds
    return max(by_line, key=by_line.get) if by_line else None


def _wait_findings(waits, alive, locks, imbalance, costs):
    findings = []
    for (category, site), entry in waits.items():
        if category in NOT_A_LOSS:
            continue
        seconds = entry["seconds"]
        left = imbalance.get((category, site), 0.0)
        their_time = sum(alive.get(index, 0.0) for index in entry["threads"]) or 1e-9
        line = _hottest_program_line(entry["stacks"])
        several = len(entry["threads"]) > 1
        # "threads wait 61% of their time", "one thread waits 61% of its time"
        waits = f"{'threads wait' if several else 'one thread waits'} {seconds / their_time:.0%}"
        time = "of their time" if several else "of its time"
        if category == "lock":
            reading = (f"{waits} {time} for the lock created at {short(site)}, mostly at "
                       f"{short(line)}")
            lock = locks.get(location(site))
            if lock and lock["acquisitions"]:
                hold = lock["hold_seconds"] / lock["acquisitions"]
                reading += (f" (taken {lock['acquisitions']} times, held {_duration(hold)} "
                            f"each on average: " + (
                                "a lock per item; take it once per batch, or keep per-thread "
                                "results and merge them" if hold < 100e-6 else
                                "work runs under it; hold it only around the shared update")
                            + ")")
        elif category == "sleep":
            reading = (f"{waits.replace('wait', 'sleep')} {time} in time.sleep at "
                       f"{short(line or site)}: the program waits rather than computes, "
                       "its cores idle")
        elif category == "queue put":
            reading = (f"{waits} {time} to put into the full queue created at {short(site)}, "
                       f"mostly at {short(line)}: its consumers do not keep up")
        elif category in ("queue get", "idle worker"):
            reading = (f"{waits} {time} for items from the queue created at {short(site)}, "
                       f"mostly at {short(line)}: its producers do not keep up")
        else:
            reading = (f"{waits} {time} on the {category} created at {short(site)}, mostly "
                       f"at {short(line)}")
        if left:
            reading += (f"; the waits left one thread running alone at the end, "
                        f"{_duration(left)} more")
        cost = seconds * costs.get((category, location(site)), 1.0)
        findings.append({"kind": category, "site": location(site), "line": location(line),
                         "seconds": cost + left, "reading": reading})
    return findings


def _wait_costs(timeline, cores):
    """(category, site) of a wait -> the share of its time that cost parallel time. At
    each moment, w threads in such waits beside n that want a core (running, or ready
    to) cost min(n + w, cores) - min(n, cores) thread-seconds, shared among the w: a
    wait costs nothing while the others keep every core busy. (From the timeline's
    waits, which the events record up to a number per thread; the share applies to
    all of a wait's time.)"""
    changes = []
    for thread in timeline:
        for begin, end, state, site in thread["segments"]:
            if state in _WANTING:
                key = None
            elif state in NOT_A_LOSS or state == _SAMPLED_STATES[SYSCALL]:
                # (I/O is costed from the samples.)
                continue
            else:
                key = state, site
            changes.append((begin, 1, key))
            changes.append((end, -1, key))
    changes.sort(key=lambda change: change[0])
    wanting = 0
    waiting = {}
    lost, waited = {}, {}
    previous = None
    for when, change, key in changes:
        if waiting and when > previous:
            span = when - previous
            count = sum(waiting.values())
            cost = (min(wanting + count, cores) - min(wanting, cores)) * span / count
            for waiter, number in waiting.items():
                lost[waiter] = lost.get(waiter, 0.0) + cost * number
                waited[waiter] = waited.get(waiter, 0.0) + span * number
        if key is None:
            wanting += change
        else:
            waiting[key] = waiting.get(key, 0) + change
            if not waiting[key]:
                del waiting[key]
        previous = when
    return {key: lost[key] / waited[key] for key in waited if waited[key] > 0}


# -- what the samples say ------------------------------------------------------------

def _gil_seconds(timeline, cores):
    """thread index -> seconds the host's GIL took from it: while n threads wanted to run
    (neither waiting nor in I/O), min(n, cores) could have run and one did; the lost
    thread-seconds are shared among the n. From the events, not the samples (on a GIL
    host a sampler that reads the kernel's state perturbs the hand-offs it would see)."""
    changes = []
    for thread in timeline:
        for begin, end, state, _ in thread["segments"]:
            if state in _WANTING:
                changes.append((begin, 1, thread["index"]))
                changes.append((end, -1, thread["index"]))
    changes.sort()
    lost = {}
    wanting = set()
    previous = None
    for when, change, index in changes:
        if previous is not None and len(wanting) > 1 and when > previous:
            share = (min(len(wanting), cores) - 1) * (when - previous) / len(wanting)
            for other in wanting:
                lost[other] = lost.get(other, 0.0) + share
        if change > 0:
            wanting.add(index)
        else:
            wanting.discard(index)
        previous = when
    return lost


def _thread_row(record, host, gil_seconds):
    alive = record.end - record.start
    cpu = record.cpu or 0.0
    columns = dict.fromkeys(("lock", "condition", "queue", "join", "sleep"), 0.0)
    for (category, _), stats in record.all_waits():
        columns[THREAD_COLUMNS.get(category, "condition")] += stats.seconds
    states = record.states
    io = states.get(SYSCALL, 0.0)
    futex = states.get(FUTEX, 0.0)
    # Off a core and in no wait the events timed, nor in I/O: on a GIL host, waiting for
    # the GIL (see _gil_seconds) or for a core; on a free-threaded host, blocked in a lock
    # the events do not see (futex: a per-object lock, the runtime's) or waiting for a core.
    off_cpu = max(0.0, alive - cpu - sum(columns.values()) - io)
    if host["gil"]:
        gil, internal = min(gil_seconds, off_cpu), 0.0
        waiting_for_core = off_cpu - gil
    else:
        gil, internal = 0.0, min(futex, off_cpu) if host["proc"] else 0.0
        waiting_for_core = off_cpu - internal
    lines = {}
    for (line, state), seconds in record.lines.items():
        lines[line] = lines.get(line, 0.0) + seconds
    hottest = max(lines, key=lines.get) if lines else None
    return {"index": record.index, "name": record.name, "native_id": record.native_id,
            "created_at": location(record.created_at) if record.created_at else None,
            "start": record.start, "end": record.end, "wall_seconds": alive,
            "cpu_seconds": cpu, "waits": columns, "io_seconds": io, "gil_seconds": gil,
            "internal_lock_seconds": internal, "waiting_for_core_seconds": waiting_for_core,
            "hottest_line": _line_text(hottest)}


def _line_text(line):
    if line is None or line == IMPORT:
        return line
    return location(line)


def _hottest_in_state(threads, wanted):
    """The program line sampled most often in the `wanted` states (an import only if
    nothing else was)."""
    by_line = {}
    for record in threads:
        for (line, state), seconds in list(record.lines.items()):
            if state in wanted and line is not None:
                by_line[line] = by_line.get(line, 0.0) + seconds
    if IMPORT in by_line and len(by_line) > 1:
        del by_line[IMPORT]
    return max(by_line, key=by_line.get) if by_line else None


def _sampled_findings(threads, rows, host):
    findings = []
    io = sum(row["io_seconds"] for row in rows)
    if io:
        line = _hottest_in_state(threads, (SYSCALL,))
        share = io / (sum(row["wall_seconds"] for row in rows) or 1e-9)
        findings.append({"kind": "io", "site": _line_text(line), "line": _line_text(line),
                         "seconds": io,
                         "reading": f"threads are blocked in system calls (I/O) {share:.0%} "
                                    f"of their time, mostly at {_short_line(line)}"})
    gil = sum(row["gil_seconds"] for row in rows)
    if gil:
        line = _hottest_in_state(threads, (FUTEX, RUNNING, UNKNOWN))
        share = gil / (sum(row["wall_seconds"] for row in rows) or 1e-9)
        findings.append({
            "kind": "gil", "site": host["name"], "line": _line_text(line), "seconds": gil,
            "reading": f"the host ({host['name']}) runs one thread at a time: threads wait "
                       f"{share:.0%} of their time for its GIL, mostly at {_short_line(line)}; "
                       "a free-threaded host (3.13t) runs them in parallel"})
    internal = sum(row["internal_lock_seconds"] for row in rows)
    if internal:
        line = _hottest_in_state(threads, (FUTEX,))
        findings.append({
            "kind": "internal lock", "site": _line_text(line), "line": _line_text(line),
            "seconds": internal,
            "reading": f"threads block {internal:.2f} s in the host's own locks (per-object "
                       f"locks of shared containers, the allocator), mostly at "
                       f"{_short_line(line)}"})
    return findings


def _short_line(line):
    if line == IMPORT:
        return "imports"
    return short(line)


def _notes(rows, host, wall, max_active, cpu_total):
    notes = []
    waiting_for_core = sum(row["waiting_for_core_seconds"] for row in rows)
    if waiting_for_core > MIN_SHARE * wall:
        notes.append(f"threads were ready to run but had no core for {waiting_for_core:.2f} s "
                     "(more runnable threads than cores, or other processes busy)")
    load = host.get("other_processes_cores")
    if load is not None and load > 0.25:
        notes.append(f"other processes kept {load:.1f} of the {host['cores']} cores busy "
                     "during the run")
    if max_active <= 1:
        notes.append("the program ran one thread at a time (no thread ran beside another)")
    if not host["proc"]:
        notes.append("no per-thread kernel state on this system: I/O and the host's internal "
                     "locks are not told apart from running")
    return notes


# -- shared objects ------------------------------------------------------------------

def _shared_objects(sampler, threads, host):
    running = {record.index: sum(s for state, s in record.states.items() if state != SYSCALL)
               for record in threads}
    rows = []
    for shared in list(sampler.objects.values()):
        if len(shared.threads) < 2:
            continue
        their_time = sum(running.get(index, 0.0) for index in shared.threads) or 1e-9
        share = shared.seconds / their_time
        if share < MIN_OBJECT_SHARE:
            continue
        k = len(shared.threads)
        lost = 0.0 if host["gil"] else shared.seconds * (1 - 1 / k)
        line = max(shared.lines, key=shared.lines.get)
        site = _assignment_site(shared)
        rows.append({
            "name": shared.name, "type": type(shared.obj).__name__, "how": shared.how,
            "site": location(site) if site else None, "line": location(line),
            "threads": k, "sampled_seconds": shared.seconds, "sample_share": share,
            "seconds_lost": lost,
            "contention": ("none on this host (one thread runs at a time)" if host["gil"] else
                           "likely reference-count or per-object-lock contention")})
    rows.sort(key=lambda row: -row["sampled_seconds"])
    return rows


def _assignment_site(shared):
    """Where a global was first assigned in its module (read from the module's source)."""
    if shared.how != "global" or not shared.module_file:
        return None
    import ast
    try:
        with open(shared.module_file, "rb") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id == shared.name:
                    return shared.module_file, node.lineno
    return None


def _object_finding(row):
    where = f"assigned at {short_text(row['site'])}" if row["site"] else "a thread argument"
    return {"kind": "shared object", "site": row["site"] or row["line"], "line": row["line"],
            "seconds": row["seconds_lost"],
            "reading": f"{row['type']} {row['name']} ({where}) is used by {row['threads']} "
                       f"threads in {row['sample_share']:.0%} of their samples, mostly at "
                       f"{short_text(row['line'])}: {row['contention']}"}


def short_text(text):
    """`file:line` text with the file's directory left out."""
    if not text:
        return "?"
    return os.path.basename(text)


# -- serial phases -------------------------------------------------------------------

def _serial_phases(threads, start, end):
    """Intervals where at most one thread could run (the others not started, ended, or
    joining), and the most threads that could run at once."""
    events = []
    for record in threads:
        events.append((record.start, 1))
        events.append((record.end, -1))
        for begin, finish, category, _ in record.all_intervals():
            if category == "join":
                events.append((begin, -1))
                events.append((finish, 1))
    events.sort()
    active, max_active = 0, 0
    phases = []
    since = start
    for when, change in events:
        before = active
        active += change
        max_active = max(max_active, active)
        if before <= 1 < active and when > since:
            phases.append([since, when])
        elif active <= 1 < before:
            since = when
    if active <= 1 and end > since:
        phases.append([since, end])
    wall = max(end - start, 1e-9)
    rows = []
    for begin, finish in phases:
        if finish - begin < MIN_PHASE_SHARE * wall:
            continue
        rows.append({"start": begin - start, "end": finish - start,
                     "seconds": finish - begin,
                     "line": _phase_line(threads, begin, finish)})
    return rows, max_active


def _phase_line(threads, begin, finish):
    by_line = {}
    for record in threads:
        for when, weight, state, line in record.samples:
            if begin <= when <= finish and line is not None:
                by_line[line] = by_line.get(line, 0.0) + weight
    if not by_line:
        return None
    return max(by_line, key=by_line.get)


def _imbalance(phases, threads, start, parallel):
    """(category, site) -> seconds of serial phases that waits explain: a phase at the
    end of a parallel part, where one thread still runs after the others ended, is an
    imbalance; when the threads of that part waited for one another (a lock that one
    thread kept taking, hand-offs that slowed the thread releasing it), those waits
    left it. Up to their duration, the phase's cost is theirs (its `explained` seconds);
    with no such waits it stays a serial phase (work unevenly split)."""
    moved = {}
    for phase in phases:
        phase["explained"] = 0.0
        begin = phase["start"] + start
        middle = begin + phase["seconds"] / 2
        running = [record for record in threads if record.start <= middle <= record.end
                   and not _joining(record, middle)]
        if len(running) != 1:
            continue
        lone = running[0]
        if not any(record is not lone and lone.start < record.end <= begin + 1e-3
                   for record in threads):
            continue
        held_back = {}
        for record in threads:
            for wait_begin, wait_end, category, site in record.all_intervals():
                if lone.start <= wait_begin < begin and category not in NOT_A_LOSS:
                    key = category, site
                    held_back[key] = (held_back.get(key, 0.0)
                                      + min(wait_end, begin) - wait_begin)
        total = sum(held_back.values())
        if not total:
            continue
        explained = min(phase["seconds"] * (parallel - 1), total)
        phase["explained"] = explained
        for key, seconds in held_back.items():
            moved[key] = moved.get(key, 0.0) + explained * seconds / total
    return moved


def _joining(record, when):
    return any(begin <= when <= end and category == "join"
               for begin, end, category, _ in record.all_intervals())


def is_start_up(phase):
    """Whether a serial phase is gilless's start-up and the program's imports: one that
    the samples place in imports, or the first when no program line was sampled in it
    (a later one with no line is the program's, unlocated)."""
    return phase["line"] == IMPORT or (phase["line"] is None and phase["start"] == 0)


def _phase_finding(phase, parallel, wall):
    seconds = phase["seconds"] * (parallel - 1) - phase["explained"]
    line = phase["line"]
    return {"kind": "serial phase", "site": location(line), "line": location(line),
            "seconds": seconds,
            "reading": f"only one thread runs for {phase['seconds']:.2f} s "
                       f"({phase['seconds'] / wall:.0%} of the run, from "
                       f"{phase['start']:.2f} s), "
                       + (f"mostly at {short(line)}" if line is not None else
                          "where no line of the program was sampled") + ": a serial phase"}


# -- locks and waits -----------------------------------------------------------------

def _lock_rows(recorder, waits):
    groups = {}
    for stats in list(recorder.locks):
        key = stats.site, stats.what
        if key in groups:
            group = groups[key]
        else:
            group = groups[key] = {"site": location(stats.site), "what": stats.what,
                                   "instances": 0, "acquisitions": 0, "hold_seconds": 0.0,
                                   "longest_hold": 0.0, "sampled": False}
        group["instances"] += 1
        # Its waits and holds were sampled (see gilless.instrument.sync.LockCounts).
        group["sampled"] = group["sampled"] or stats.fast is not None
        group["acquisitions"] += stats.acquisitions()
        group["hold_seconds"] += stats.hold
        group["longest_hold"] = max(group["longest_hold"], stats.hold_max)
    rows = []
    for (site, _), group in groups.items():
        entry = waits.get(("lock", site))
        contended = entry["count"] if entry else 0
        group.update(
            contended=contended,
            contended_share=contended / group["acquisitions"] if group["acquisitions"] else 0.0,
            wait_seconds=entry["seconds"] if entry else 0.0,
            longest_wait=entry["longest"] if entry else 0.0,
            waiting_stacks=_top_stacks(entry["stacks"]) if entry else [])
        if group["acquisitions"] or contended:
            rows.append(group)
    rows.sort(key=lambda row: (-row["wait_seconds"], -row["acquisitions"]))
    return rows


def _wait_rows(waits):
    rows = []
    for (category, site), entry in waits.items():
        rows.append({"what": category, "site": location(site), "count": entry["count"],
                     "seconds": entry["seconds"], "longest": entry["longest"],
                     "threads": len(entry["threads"]),
                     "waiting_stacks": _top_stacks(entry["stacks"])})
    rows.sort(key=lambda row: -row["seconds"])
    return rows


def _top_stacks(stacks, limit=3):
    ranked = sorted(stacks.items(), key=lambda item: -item[1][1])[:limit]
    return [{"count": count, "seconds": seconds,
             "frames": [{"file": file, "line": line, "function": function}
                        for file, line, function in stack]}
            for stack, (count, seconds) in ranked]


# -- the timeline --------------------------------------------------------------------

def _timeline(threads, start):
    """Per thread, what it did from its start to its end as consecutive segments
    [begin, end, state, site] in seconds from the start: the waits the events timed
    (state: their category), and between them "running", except where the samples saw
    the thread in I/O ("io") or blocked in a lock the events do not see ("gil-or-host-lock")."""
    return [{"index": record.index, "name": record.name, "start": record.start - start,
             "end": record.end - start, "segments": _segments(record, start)}
            for record in threads]


_SAMPLED_STATES = {FUTEX: "gil-or-host-lock", SYSCALL: "io"}
# The segments where a thread wants a core.
_WANTING = frozenset({"running", "gil-or-host-lock"})


def _segments(record, start):
    segments = []
    gaps = []
    cursor = record.start
    for begin, end, category, site in record.all_intervals():
        begin = max(begin, cursor)
        if begin > cursor:
            gaps.append((cursor, begin))
        if end > begin:
            segments.append((begin, end, category, location(site)))
        cursor = max(cursor, end)
    if record.end > cursor:
        gaps.append((cursor, record.end))
    # Runs of samples that saw the thread off a core.
    marks = []
    for when, weight, state, _ in record.samples:
        if state in _SAMPLED_STATES:
            state = _SAMPLED_STATES[state]
            begin = when - weight
            if marks and marks[-1][2] == state and begin - marks[-1][1] < 1e-3:
                marks[-1][1] = when
            else:
                marks.append([begin, when, state])
    index = 0
    for begin, end in gaps:
        while index < len(marks) and marks[index][1] <= begin:
            index += 1
        position = index
        while begin < end:
            if position < len(marks) and marks[position][0] < end:
                mark_begin, mark_end, state = marks[position]
                if mark_begin > begin:
                    segments.append((begin, mark_begin, "running", None))
                    begin = mark_begin
                stop = min(mark_end, end)
                if stop > begin:
                    segments.append((begin, stop, state, None))
                begin = max(begin, stop)
                position += 1
            else:
                segments.append((begin, end, "running", None))
                break
    segments.sort()
    return [[begin - start, end - start, state, site] for begin, end, state, site in segments]
