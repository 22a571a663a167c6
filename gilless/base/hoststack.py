"""Guest frames linked to the guest's caller, or to none, as in CPython.

CPython runs `__main__` from C with no Python frame beneath it, starts a
thread's stack in `threading`, and gives code run by `exec` or `eval` the
caller of `exec` as its `f_back`; every tool that walks a stack from its
top (`traceback.extract_stack`, `inspect.stack`, `logging`'s `stack_info`,
`warnings`' stack levels, `faulthandler`, `tracemalloc`, pdb, `profile`)
sees that. gilless calls guest code from frames of its own. A host frame's
`f_back` is not stored in the frame while it runs: the host follows the
frame's link to its predecessor, set as the frame starts to the frame the
thread is running then (the thread state's `current_frame` on 3.13,
`cframe->current_frame` on 3.11 and 3.12). `call_above` sets that pointer
to the guest frame that should come below (or to nothing) just before the
guest's frame starts, and restores it when the call returns: gilless's
frames in between exist for no one but the C stack that returns into them.
No Python code runs while the pointer is moved but the guest's, whose
frame then holds its own link; and the host resets the pointer from a
frame's own link whenever one returns.

The pointer's place in the thread state is not the host's API: it is taken
from the host's headers for the versions listed, and trusted only where it
holds the running frame at two depths. Elsewhere (another layout; 3.14,
whose free-threaded collector walks each thread's chain from that pointer to
count references, so no frame may drop out of it; GILLESS_DEBUG set) guest
code runs beneath gilless's frames, as it did before. docs/invisible.md has
the details and what it costs.
"""

import sys
from functools import partial

from gilless.base import frames

# The thread-state word that is the current frame (3.13), or that points at the
# C frame whose first or second word is (3.11, 3.12): the headers' layouts.
_LAYOUTS = {(3, 11): (7, 1), (3, 12): (7, 0), (3, 13): (9, None)}
# (64-bit hosts: the views below read words of 8 bytes.)
_INTERPRETER_WORD = 2
# The thread state's `tracing` count, as an index of its ints: above 0 while a tracer,
# profiler or monitoring callback runs, and then the host reports no event.
_TRACING_INTS = {(3, 11): 11, (3, 12): 11, (3, 13): 15}


class _Host:
    """ctypes and the views of memory the slots use, made once, before guest code runs.

    All memory is read and written through two views that start at address
    0 (of 64-bit words and of C ints), indexed by address: an access makes no
    ctypes object, and no audit event, which `from_address` would raise for
    a guest's audit hook to see whenever a thread first runs `exec`.
    """

    def __init__(self, ctypes):
        self.ctypes = ctypes
        pointer = ctypes.c_void_p
        api = ctypes.pythonapi
        self.thread_state = api.PyThreadState_Get
        self.thread_state.restype = pointer
        self.interpreter_state = api.PyInterpreterState_Get
        self.interpreter_state.restype = pointer
        # Memoryviews: indexing one costs a third of indexing a ctypes array.
        memory = memoryview((ctypes.c_char * (sys.maxsize // 8 * 8)).from_address(0)).cast("B")
        self.words = memory.cast("Q")
        self.ints = memory.cast("i")


# PyFrameObject.f_frame, after the object's head and f_back: the frame's data.
_F_FRAME = object.__basicsize__ + 8
# The frame data's link to the frame below it (`previous`, after `f_executable`), in
# words: read where the pointer is the thread state's own word (3.13).
_PREVIOUS_WORD = 1


def _frame_data(frame):
    """The address of the host's data for `frame`."""
    return _words[(id(frame) + _F_FRAME) >> 3]


class _Slot:
    """A thread's current-frame pointer and tracing count (one per thread, made by that
    thread), as indexes of the memory views."""

    def __init__(self, host, word, cframe_word, tracing):
        state = host.thread_state()
        self.state = state >> 3
        self.word = word
        self.cframe_word = cframe_word
        self.tracing = (state >> 2) + tracing
        # The pointer's index where it is the thread state's own word (3.13), else None.
        self.fixed = self.state + word if cframe_word is None else None

    def pointer(self):
        """The index of the pointer, as it is in the calling frame."""
        if self.cframe_word is None:
            return self.state + self.word
        # In the C frame of the evaluation loop the thread is in now.
        cframe = _words[self.state + self.word]
        return (cframe >> 3) + self.cframe_word if cframe else None

    def holds_running_frame(self):
        """True if the pointer is the running frame's (this method's own)."""
        index = self.pointer()
        return index is not None and _words[index] == _frame_data(sys._getframe())


def _find_layout():
    """The host's ctypes helpers and layout, as the main thread's state shows it; None
    if it does not."""
    global _words, _ints
    version = sys.version_info[:2]
    layout = _LAYOUTS.get(version)
    if layout is None or frames.show_internal_frames or sys.maxsize < 2 ** 32:
        return None
    import ctypes
    host = _Host(ctypes)
    _words, _ints = host.words, host.ints
    slot = _Slot(host, *layout, _TRACING_INTS[version])
    if _words[slot.state + _INTERPRETER_WORD] != host.interpreter_state():
        return None

    def one_deeper():
        return slot.holds_running_frame()

    if not (slot.holds_running_frame() and one_deeper()):
        return None
    # The tracing count is 0 here and 1 in a profile function.
    seen = []
    sys.setprofile(lambda frame, event, arg: seen.append(_ints[slot.tracing]))
    sys.setprofile(None)
    if _ints[slot.tracing] != 0 or not seen or seen[0] != 1:
        return None
    return host, slot


_host = None
_layout = None
_words = _ints = None
_call_tracing = sys.call_tracing
# The slot of each thread, in its own attribute of this thread-local object (False
# where the thread's state does not have the layout).
_threads = None


def install():
    """Find the main thread's current-frame pointer, before guest code runs."""
    global _host, _layout, _threads
    found = _find_layout()
    if found is None:
        return
    _host, slot = found
    _layout = slot.word, slot.cframe_word, _TRACING_INTS[sys.version_info[:2]]
    import _thread
    _threads = _thread._local()
    _threads.slot = slot


def _thread_slot():
    """This thread's slot, made on its first use."""
    slot = getattr(_threads, "slot", None)
    if slot is None:
        slot = _Slot(_host, *_layout)
        _threads.slot = slot = slot if slot.holds_running_frame() else False
    return slot


def call_above(frame, function, *args, **kwargs):
    """`function(*args, **kwargs)`, whose Python frame has `frame` (a frame this thread is
    running) as its `f_back`, or None: the bottom of this thread's stack.

    While the pointer is moved, the host would report this frame's events
    (the call that starts `function`, an exception it raises) as `frame`'s,
    to tracers that read the frame from the pointer (3.12 and later; with
    no frame, it raises SystemError). So the thread's tracing count is raised
    for the window, as while a tracer runs, and `sys.call_tracing` runs
    `function` with the count at 0, as the guest's code must be seen, and
    puts it back.
    """
    slot = _thread_slot() if _layout is not None else None
    if not slot or not callable(function):
        # (What calling something that is no function raises, the host's own error.)
        return function(*args, **kwargs)
    index = slot.pointer()
    if index is None:
        return function(*args, **kwargs)
    call = partial(function, *args, **kwargs)
    words = _words
    saved = words[index]
    ints = _ints
    tracing = slot.tracing
    count = ints[tracing]
    ints[tracing] = count + 1
    words[index] = 0 if frame is None else words[(id(frame) + _F_FRAME) >> 3]
    try:
        # Inside a tracer's own call nothing is reported, guest code included: left so.
        return call() if count else _call_tracing(call, ())
    finally:
        words[index] = saved
        ints[tracing] = count


def resume_above_caller(step, *args):
    """`step(*args)`, a C method that resumes a Python frame (a generator's `send`),
    called by a gilless function on behalf of its caller: the resumed frame's
    `f_back` is that caller, as if it had called `step` itself. Only while no
    tracer or profiler is on (`call_above` is for those): nothing reports the
    moved pointer's frame. Where the pointer is not the thread state's own word
    (3.11, 3.12) or the layout is unknown, `step(*args)` as it is."""
    slot = getattr(_threads, "slot", None) if _threads is not None else None
    if slot is None:
        slot = _thread_slot() if _layout is not None else False
    index = slot.fixed if slot else None
    if index is None:
        return step(*args)
    words = _words
    saved = words[index]
    # This frame's link, then the gilless function's: its caller.
    words[index] = words[(words[(saved >> 3) + _PREVIOUS_WORD] >> 3) + _PREVIOUS_WORD]
    try:
        return step(*args)
    finally:
        words[index] = saved


def _without_lines(code):
    """`code` with no line numbers: a tracer gets no `line` event from it. While
    `call_above` has the pointer moved, the host would report a line of its own to
    the frame the pointer names (3.12 reads the frame from it), as a line of that
    guest frame."""
    units = len(code.co_code) // 2
    # Location entries "no location" (code 15), each for up to 8 code units.
    table = bytes(0x80 | (15 << 3) | (min(8, units - start) - 1) for start in range(0, units, 8))
    return code.replace(co_linetable=table)


call_above.__code__ = _without_lines(call_above.__code__)


def call_at_bottom(function, *args, **kwargs):
    """`function(*args, **kwargs)`, its frame the bottom of this thread's stack."""
    return call_above(None, function, *args, **kwargs)


def thread_state():
    """This thread's state as (a ctypes array of words, the index of the state's first
    word in it), or None where the host's layout is not known: for reading what the
    host keeps there, by indexing alone."""
    slot = _thread_slot() if _layout is not None else None
    return (_words, slot.state) if slot else None


def c_types():
    """The ctypes module, as loaded at start-up (None where it was not)."""
    return None if _host is None else _host.ctypes
