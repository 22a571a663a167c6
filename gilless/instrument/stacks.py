"""Guest stacks for the tools' reports: taken cheaply when an event happens, printed
as CPython's traceback lines when a report is written.

A tool that remembers where something happened (the race detector for each
access, lock-order checking for each lock acquisition) keeps a stack of the
guest's frames only: gilless's own, and those of the standard library's
synchronisation and import code (`UNWATCHED`), are left out of every report.
"""

import linecache

from gilless.base.frames import GILLESS_DIR
from gilless.base.state import world
from gilless.compiler.lowering import UNWATCHED

# Stacks are kept to this depth (innermost frames first); a tool may change it.
MAX_DEPTH = 64

# file name -> True for files whose frames no report shows (gilless's own, and the
# standard library's synchronisation and import code). Keyed by name, not by code
# object: a string keeps its hash, where a code object's is computed on every lookup.
# The hot paths look up dicts that another thread made with `in` and a subscript, not
# `get`: on free-threaded 3.13, `get` from a thread other than the dict's creator costs
# some 20 us when the key is equal to, but not the same object as, the stored one.
_hidden = {}


def _is_hidden(filename):
    """Whether `filename`'s frames are hidden, worked out once (the callers look first)."""
    hidden = _hidden[filename] = filename.startswith(GILLESS_DIR) or filename in UNWATCHED
    return hidden


def capture_stack(frame, cache=None, _hidden=_hidden, id=id):
    """The guest stack from `frame` outwards, as a linked tuple (code, offset, callers).

    Recording an access is frequent and a report rare, so a stack holds
    instruction offsets (`line_of` turns them into lines when a report is
    written) and shares its callers' part. While a frame runs its callers
    stay where they are, so `cache` (per thread) keeps, for each frame a
    stack was taken in, the stack of its callers and the stacks made there:
    the next access in that frame, or in the next call of the function from
    the same place, costs a lookup (and stacks recorded there are shared), and
    a new frame walks outwards only to the first frame the cache knows.

    The cache must not keep frames alive (a frame object that outlives its
    call keeps its locals, and their finalisers would run late), so it is
    keyed by a frame's id mixed with its code's, its caller's code's and its
    caller's instruction, and an entry is taken as that frame's when the code
    and the caller's code and instruction still match. (The frame's id alone
    is no key: a function and the one it calls often swap their frame
    objects' addresses from call to call, and a function called from many
    places, a class's `__init__`, gets the same address from each; either way
    the entries of one address took turns, and most first accesses walked the
    stack again.) A new call of a
    function from the same place at the same address mostly has the same
    callers, but not always: a dispatcher (pytest's hooks) calls through the
    same few frames from many places, and the outer frames found would be an
    earlier call's. So only a location's first access, by far the most
    frequent, takes its stack from the cache (a report may show stale outer
    frames for it), and so does any access of the main thread while it runs
    alone (see gilless.race.detector.access); every other one, and the access
    a report is about, is walked in full (no `cache`). (What it loads as
    default arguments: see gilless.instrument.events._bind.)"""
    code = frame.f_code
    caller = frame.f_back
    if cache is not None and caller is not None:
        entry = cache.get(id(frame) ^ id(code) ^ id(caller.f_code) ^ caller.f_lasti)
        if (entry is not None and entry[0] is code and entry[1] is caller.f_code
                and entry[2] == caller.f_lasti):
            offset = frame.f_lasti
            stacks = entry[4]
            if offset in stacks:
                return stacks[offset]
            stack = stacks[offset] = (code, offset, entry[3])
            return stack
    filename = code.co_filename
    if _hidden[filename] if filename in _hidden else _is_hidden(filename):
        # An event function's frame (only guest frames have entries): the stack is the
        # innermost guest frame's. Below the main module's frame are gilless's and the
        # launcher's.
        base = world.main_base_frame
        while True:
            frame = frame.f_back
            if frame is None or frame is base:
                return None
            filename = frame.f_code.co_filename
            if not (_hidden[filename] if filename in _hidden else _is_hidden(filename)):
                return capture_stack(frame, cache)
    if cache is None:
        return _walk(code, frame.f_lasti, caller, None)
    if len(cache) > 4096:
        cache.clear()
    return _walk(code, frame.f_lasti, caller, cache, frame)


def capture_stacks(frame, cache, lines):
    """The stacks of `frame` at each of `lines` (its own frame at that line, the same
    callers), for a run of accesses that one event reports (gilless.race.detector's
    `access_run`); or its stack once for each, if `frame` is hidden. A line is kept as
    a negative offset (see `line_of`), and `cache`, as capture_stack's, keeps the
    stacks made for it, as it keeps those of its instructions."""
    code = frame.f_code
    caller = frame.f_back
    entry = None
    if cache is not None and caller is not None:
        # (capture_stack's look in the cache, inline.)
        entry = cache.get(id(frame) ^ id(code) ^ id(caller.f_code) ^ caller.f_lasti)
        if (entry is None or entry[0] is not code or entry[1] is not caller.f_code
                or entry[2] != caller.f_lasti):
            entry = None
    if entry is None:
        stack = capture_stack(frame, cache)
        if stack is None or stack[0] is not code:
            return [stack] * len(lines)
        entry = None if cache is None or caller is None else \
            cache.get(id(frame) ^ id(code) ^ id(caller.f_code) ^ caller.f_lasti)
        if entry is None:
            entry = (code, None, None, stack[2], {})
    callers = entry[3]
    stacks = entry[4]
    found = []
    for line in lines:
        offset = -line
        if offset in stacks:
            found.append(stacks[offset])
        else:
            found.append(stacks.setdefault(offset, (code, offset, callers)))
    return found


def frame_memo(frame, cache):
    """A dict that `cache` keeps for `frame`'s call, beside its stacks: where a tool keeps
    what it works out once for the places of a function called from the same place (whose
    stacks are the same from call to call). None if `frame` is hidden or has no caller."""
    code = frame.f_code
    caller = frame.f_back
    filename = code.co_filename
    if caller is None or (_hidden[filename] if filename in _hidden else _is_hidden(filename)):
        return None
    key = id(frame) ^ id(code) ^ id(caller.f_code) ^ caller.f_lasti
    entry = cache.get(key)
    if entry is None or entry[0] is not code or entry[1] is not caller.f_code \
            or entry[2] != caller.f_lasti:
        # (capture_stack makes the entry of a guest frame.)
        capture_stack(frame, cache)
        entry = cache.get(key)
        if entry is None or entry[0] is not code:
            return None
    return entry[5]


def _walk(code, offset, walked, cache, frame=None):
    """The stack of the guest frame running `code` at `offset`, whose caller is `walked`,
    walked out to the main module's frame (or, with `cache`, to the first frame the
    cache knows, recording there the frames walked: `frame` is the innermost)."""
    base = world.main_base_frame
    # (code, offset, frame) of each guest frame, innermost first.
    sites = [(code, offset, frame)]
    callers = None
    while walked is not None and walked is not base:
        code = walked.f_code
        filename = code.co_filename
        if not (_hidden[filename] if filename in _hidden else _is_hidden(filename)):
            if cache is not None:
                caller = walked.f_back
                entry = None if caller is None else \
                    cache.get(id(walked) ^ id(code) ^ id(caller.f_code) ^ caller.f_lasti)
                if (entry is not None and entry[0] is code
                        and entry[1] is caller.f_code and entry[2] == caller.f_lasti):
                    callers = (code, walked.f_lasti, entry[3])
                    break
            sites.append((code, walked.f_lasti, walked))
            if len(sites) >= MAX_DEPTH:
                break
        walked = walked.f_back
    stack = callers
    for code, offset, walked in reversed(sites):
        callers = stack
        stack = (code, offset, callers)
        if cache is not None:
            caller = walked.f_back
            if caller is not None:
                # the frame's, its code's and its caller's code's ids and the caller's
                # instruction, mixed -> (its code, its caller's code and instruction, its
                # callers' stack, its stacks by instruction offset, a tool's memo (see
                # frame_memo): the same for each call from there). (The key is written
                # out in each of this module's looks.)
                cache[id(walked) ^ id(code) ^ id(caller.f_code) ^ caller.f_lasti] = (
                    code, caller.f_code, caller.f_lasti, callers, {offset: stack}, {})
    return stack


_lines = {}  # code -> [(start offset, end offset, line)]


def line_of(code, offset):
    """The source line of the instruction at `offset` (bytes) of `code`; a negative
    `offset` is a line itself (a stack that a run of accesses shares but for its line:
    see gilless.race.detector.access_run)."""
    if offset < 0:
        return -offset
    table = _lines.get(code)
    if table is None:
        table = _lines[code] = list(code.co_lines())
    line = None
    for start, end, number in table:
        if start <= offset < end:
            line = number
            break
    return line if line is not None else code.co_firstlineno


def stack_frames(stack):
    """A linked stack as (code, line) pairs, innermost first."""
    pairs = []
    while stack is not None:
        pairs.append((stack[0], line_of(stack[0], stack[1])))
        stack = stack[2]
    return pairs


def frames(stack):
    """(file, line, function, source) from outermost to innermost, as tracebacks list them."""
    found = []
    for code, line in reversed(stack_frames(stack)):
        source = linecache.getline(code.co_filename, line).strip() if line else ""
        found.append((code.co_filename, line, code.co_name, source))
    return found


def format_stack(stack):
    """A stack as the lines of a CPython traceback (indented by two spaces)."""
    lines = []
    for filename, line, function, source in frames(stack):
        lines.append(f'  File "{filename}", line {line}, in {function}\n')
        if source:
            lines.append(f"    {source}\n")
    return "".join(lines) or "  (no guest frame)\n"
