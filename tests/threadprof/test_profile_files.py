"""`-X threadprof=FILE.json`: the JSON profile, the Chrome trace and the PNG timeline beside it,
each checked against its format."""

import json
import struct
import zlib
from pathlib import Path

import pytest

from conftest import run_gilless
from gilless.threadprof import png

PROGRAM = Path(__file__).parent / "programs" / "slow_consumer.py"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    directory = tmp_path_factory.mktemp("threadprof")
    result = run_gilless("-X", f"threadprof={directory / 'profile.json'}", str(PROGRAM),
                         cwd=str(PROGRAM.parent), timeout=300)
    assert result.returncode == 0, result.stderr
    return directory, result


def test_the_files_are_written_beside_each_other(written):
    directory, result = written
    assert sorted(p.name for p in directory.iterdir()) == [
        "profile.json", "profile.png", "profile.trace.json"]
    assert f"threadprof: wrote {directory / 'profile.json'}" in result.stderr


def test_the_json_profile(written):
    directory, result = written
    profile = json.loads((directory / "profile.json").read_text())
    for key, kind in (("wall_seconds", float), ("cpu_seconds", float), ("parallelism", float),
                      ("cores", int), ("findings", list), ("locks", list), ("waits", list),
                      ("threads", list), ("shared_objects", list), ("serial_phases", list),
                      ("timeline", list), ("host", dict)):
        assert isinstance(profile[key], kind), key
    findings = profile["findings"]
    assert findings
    for finding in findings:
        assert set(finding) == {"kind", "site", "line", "seconds", "share", "reading"}
        assert finding["seconds"] > 0 and 0 < finding["share"] <= 1
    assert [f["seconds"] for f in findings] == sorted((f["seconds"] for f in findings),
                                                      reverse=True)
    names = [thread["name"] for thread in profile["threads"]]
    assert names[0] == "MainThread" and len(names) == 4
    for thread in profile["threads"]:
        assert 0 <= thread["cpu_seconds"] and thread["wall_seconds"] > 0
        assert set(thread["waits"]) == {"lock", "condition", "queue", "join", "sleep"}
    # The producers wait to put: their queue column holds it.
    producers = [t for t in profile["threads"] if "produce" in t["name"]]
    assert all(t["waits"]["queue"] > 0 for t in producers)


def test_the_chrome_trace(written):
    directory, _ = written
    trace = json.loads((directory / "profile.trace.json").read_text())
    assert isinstance(trace["traceEvents"], list)
    assert trace["displayTimeUnit"] in ("ms", "ns")
    named = set()
    spans = {}
    for event in trace["traceEvents"]:
        assert event["ph"] in ("M", "X"), event
        assert isinstance(event["pid"], int) and isinstance(event["tid"], int)
        assert isinstance(event["name"], str) and isinstance(event.get("args", {}), dict)
        if event["ph"] == "M":
            assert event["name"] in ("process_name", "thread_name", "thread_sort_index")
            if event["name"] == "thread_name":
                named.add(event["tid"])
        else:
            assert isinstance(event["ts"], (int, float)) and event["ts"] >= 0
            assert isinstance(event["dur"], (int, float)) and event["dur"] >= 0
            assert isinstance(event["cat"], str)
            spans.setdefault(event["tid"], []).append((event["ts"], event["dur"], event["cat"]))
    assert set(spans) <= named and len(named) == 4
    profile = json.loads((directory / "profile.json").read_text())
    for thread in profile["timeline"]:
        track = sorted(spans[thread["index"]])
        # One track per thread: its segments follow one another, without overlap or gap,
        # from the thread's start to its end.
        for (ts, dur, _), (next_ts, _, _) in zip(track, track[1:]):
            assert abs(ts + dur - next_ts) < 2, (ts, dur, next_ts)
        assert abs(track[0][0] - thread["start"] * 1e6) < 2
        assert abs(track[-1][0] + track[-1][1] - thread["end"] * 1e6) < 2
    categories = {category for track in spans.values() for _, _, category in track}
    assert {"running", "queue put", "join"} <= categories


def chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position = 8
    while position < len(data):
        length, = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        crc, = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        yield kind, body
        position += 12 + length


def test_the_png_timeline(written):
    directory, _ = written
    found = list(chunks((directory / "profile.png").read_bytes()))
    assert [kind for kind, _ in found] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", found[0][1])
    assert (depth, colour, compression, filtering, interlace) == (8, 2, 0, 0, 0)
    assert width == png.WIDTH and height == png.TOP + png.ROW * 4 + png.LEGEND
    raw = zlib.decompress(found[1][1])
    assert len(raw) == height * (1 + width * 3)
    rows = [raw[y * (1 + width * 3):(y + 1) * (1 + width * 3)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    pixels = b"".join(row[1:] for row in rows)
    # The producers' rows show the queue's colour, the consumer's the running colour.
    for category in ("queue put", "running"):
        assert bytes(png.COLOURS[category]) * 3 in pixels, category


def test_a_file_name_without_json_gets_the_same_three(tmp_path):
    result = run_gilless("-X", f"threadprof={tmp_path / 'out'}", "-c", "pass")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.png", "out.trace.json"]


def test_a_daemon_thread_running_at_exit_is_profiled_up_to_it(tmp_path):
    program = tmp_path / "daemon.py"
    program.write_text(
        "import threading, time\n"
        "def spin():\n"
        "    while True:\n"
        "        sum(range(1000))\n"
        "threading.Thread(target=spin, daemon=True, name='spinner').start()\n"
        "time.sleep(0.3)\n")
    result = run_gilless("-X", f"threadprof={tmp_path / 'profile.json'}", str(program),
                         cwd=str(tmp_path), timeout=300)
    assert result.returncode == 0, result.stderr
    profile = json.loads((tmp_path / "profile.json").read_text())
    (spinner,) = [thread for thread in profile["threads"] if thread["name"] == "spinner"]
    # (It spins for the 0.3 s, with a core of its own or half of one.)
    assert spinner["cpu_seconds"] > 0.1, spinner
