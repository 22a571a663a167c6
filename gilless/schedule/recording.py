"""The replay file: a run's schedule, as readable JSON.

    {"format": 1, "strategy": "pct:4:3:14", "host": "3.11.7", "status": 1,
     "failures": [...], "steps": 31, "command": [...],
     "schedule": [[THREAD, POINTS, STOP], ...]}

Each segment of the schedule says which thread ran, for how many points,
and where it stopped: {"file", "line", "function", "operation"}, with
"forced": true where it stopped because it waited or ended rather than
because the strategy switched. A replay checks each stop's thread, function
and operation, not its line.
"""

import json

FORMAT = 1
DEFAULT_REPLAY_FILE = "gilless-schedule.json"


class OptionError(ValueError):
    pass


def read_replay_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            recording = json.load(f)
    except OSError as error:
        raise OptionError(f"-X replay: cannot read {path}: {error.strerror}") from None
    except ValueError as error:
        raise OptionError(f"-X replay: {path} is not a schedule file: {error}") from None
    if not isinstance(recording, dict) or recording.get("format") != FORMAT \
            or not isinstance(recording.get("schedule"), list) \
            or not all(map(_is_segment, recording["schedule"])):
        raise OptionError(f"-X replay: {path} is not a schedule file written by "
                          f"gilless -X explore (format {FORMAT})")
    return recording


def _is_segment(segment):
    """Whether `segment` has the form of a recorded one: [THREAD, POINTS, STOP]."""
    if not isinstance(segment, list) or len(segment) != 3:
        return False
    thread, points, stop = segment
    return (isinstance(thread, str) and type(points) is int and points >= 0
            and (stop is None or isinstance(stop, dict)))


def write_replay_file(path, recording, command):
    recording = dict(recording)
    recording.pop("decisions", None)
    if command:
        recording["command"] = command
    with open(path, "w", encoding="utf-8") as f:
        json.dump(recording, f, indent=1)
        f.write("\n")
