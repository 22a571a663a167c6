"""The deadlock report: each waiting thread, what it waits for, who holds that, where."""

import linecache

from gilless.base import state
from gilless.base.frames import is_internal
from gilless.schedule import scheduler


def guest_stack(frame):
    """CPython's traceback lines for `frame` outwards (outermost first), gilless's
    own frames left out."""
    lines = []
    base = state.world.main_base_frame
    while frame is not None and frame is not base:
        if not is_internal(frame):
            code = frame.f_code
            source = linecache.getline(code.co_filename, frame.f_lineno).strip()
            entry = f'  File "{code.co_filename}", line {frame.f_lineno}, in {code.co_name}\n'
            lines.append(entry + (f"    {source}\n" if source else ""))
        frame = frame.f_back
    return "".join(reversed(lines)) or "  (no guest frame)\n"


def format_deadlock(me, blocked):
    import sys
    own_frame = sys._getframe(1)
    parts = ["==================\n", "DEADLOCK: every thread is waiting\n"]
    for thread in blocked:
        frame = scheduler.thread_frames(thread, own_frame)
        parts += ["\n", f"{thread.describe()[:1].upper()}{thread.describe()[1:]} "
                  f"{scheduler.waiting_text(thread)}:\n", guest_stack(frame)]
    parts.append("==================\n")
    return "".join(parts)


def exception_text(error):
    """`Name: message` of an exception, as the last line of its traceback."""
    name = type(error).__qualname__
    try:
        text = str(error)
    except Exception:
        text = ""
    return f"{name}: {text}" if text else name
