"""A race as people read it (Go's report, CPython's traceback lines), and races and
lock-order inversions as tools do (JSON, and SARIF 2.1.0 for code-scanning services)."""

import json
import os

import gilless
from gilless import lockorder
from gilless.instrument.stacks import format_stack, frames, stack_frames

RULE_ID = "data-race"


def _capitalised(text):
    return text[:1].upper() + text[1:]


def format_race(race):
    current, previous = race.current, race.previous
    parts = ["==================\n", "WARNING: DATA RACE\n",
             f"{_capitalised(current.kind)} of {race.location} by "
             f"{current.thread.describe()}:\n",
             format_stack(current.stack), "\n",
             f"Previous {previous.kind} of {race.location} by "
             f"{previous.thread.describe()}:\n",
             format_stack(previous.stack)]
    threads = [current.thread]
    if previous.thread is not current.thread:
        threads.append(previous.thread)
    for thread in threads:
        if thread.created is not None:
            parts += ["\n", f"{_capitalised(thread.describe())} created at:\n",
                      format_stack(thread.created)]
    parts.append("==================\n")
    return "".join(parts)


def _access_json(access):
    thread = access.thread
    return {
        "kind": access.kind,
        "thread": {"id": thread.tid, "description": thread.describe()},
        "stack": [{"file": f, "line": n, "function": name, "source": source}
                  for f, n, name, source in frames(access.stack)],
        "thread_created_at": None if thread.created is None else [
            {"file": f, "line": n, "function": name, "source": source}
            for f, n, name, source in frames(thread.created)],
    }


def race_json(race):
    return {"location": race.location, "current": _access_json(race.current),
            "previous": _access_json(race.previous), "text": format_race(race)}


def _sarif_location(stack, message=None):
    """The location of a stack's innermost frame."""
    if not stack:
        return None
    code, line = stack_frames(stack)[0]
    return _sarif_frame(code, line, message)


def _sarif_frame(code, line, message=None):
    location = {"physicalLocation": {
        "artifactLocation": {"uri": _uri(code.co_filename)},
        "region": {"startLine": max(line or 1, 1)}}}
    if message:
        location["message"] = {"text": message}
    return location


def _uri(filename):
    if os.path.isabs(filename):
        relative = os.path.relpath(filename)
        return relative if not relative.startswith("..") else "file://" + filename
    return filename


def _thread_flow(message, stack):
    return {"message": {"text": message},
            "locations": [{"location": _sarif_frame(code, line)}
                          for code, line in reversed(stack_frames(stack))]}


def sarif(races, inversions=()):
    results = []
    for race in races:
        current, previous = race.current, race.previous
        result = {
            "ruleId": RULE_ID,
            "level": "error",
            "message": {"text": f"Data race: {current.kind} of {race.location} by "
                                f"{current.thread.describe()} conflicts with a previous "
                                f"{previous.kind} by {previous.thread.describe()}."},
            "locations": [loc for loc in [_sarif_location(current.stack)] if loc],
            "relatedLocations": [loc for loc in [_sarif_location(
                previous.stack, f"previous {previous.kind} by {previous.thread.describe()}")]
                if loc],
            "codeFlows": [{"threadFlows": [_thread_flow(access.thread.describe(), access.stack)
                                           for access in (current, previous) if access.stack]}],
        }
        results.append(result)
    for inversion in inversions:
        edges = inversion.edges
        related = []
        for edge in edges:
            held, acquired = inversion.name(edge.source), inversion.name(edge.target)
            related += [_sarif_location(edge.stack, f"{acquired} acquired while holding {held}"),
                        _sarif_location(edge.held_stack, f"{held} acquired")]
        results.append({
            "ruleId": lockorder.RULE_ID,
            "level": "error",
            "message": {"text": "Lock-order inversion (potential deadlock): "
                                f"{inversion.cycle()}."},
            "locations": [loc for loc in [_sarif_location(edges[0].stack)] if loc],
            "relatedLocations": [loc for loc in related if loc],
            "codeFlows": [{"threadFlows": [_thread_flow(
                f"{inversion.name(edge.target)} acquired while holding "
                f"{inversion.name(edge.source)} in {edge.thread.describe()}", edge.stack)
                for edge in edges if edge.stack]}],
        })
    for result in results:
        for index, location in enumerate(result["relatedLocations"]):
            location["id"] = index
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "name": "gilless race detector",
                "version": gilless.__version__,
                "rules": [{"id": RULE_ID, "name": "DataRace",
                           "shortDescription": {"text": "Data race between threads"},
                           "fullDescription": {"text": (
                               "Two threads accessed the same location, at least one "
                               "writing, without synchronisation ordering the accesses.")},
                           "defaultConfiguration": {"level": "error"}},
                          {"id": lockorder.RULE_ID, "name": "LockOrderInversion",
                           "shortDescription": {"text": "Lock-order inversion (potential "
                                                        "deadlock)"},
                           "fullDescription": {"text": (
                               "Locks were acquired in orders that form a cycle: threads "
                               "taking them so at the same time can deadlock.")},
                           "defaultConfiguration": {"level": "error"}}]}},
            "results": results,
        }],
    }


def write_file(path, races, inversions=()):
    if path.endswith(".sarif"):
        document = sarif(races, inversions)
    else:
        document = {"version": 1, "tool": "gilless race detector",
                    "races": [race_json(race) for race in races],
                    "lock_order_inversions": [inversion.as_json() for inversion in inversions]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
