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

import _thread
import os
import sys
from _functools import partial

# The thread-state word that is the current frame (3.13), or that points at the
# C frame whose first or second word is (3.11, 3.12): the headers' layouts.
_LAYOUTS = {(3, 11): (7, 1), (3, 12): (7, 0), (3, 13): (9, None)}
# GILLESS_DEBUG, as gilless.base.frames reads it (which compiles its wrappers through
# this module, so cannot be imported here).
_SHOW_INTERNAL_FRAMES = bool(os.environ.get("GILLESS_DEBUG"))
# (64-bit hosts: the views below read words of 8 bytes.)
_INTERPRETER_WORD = 2
# The thread state's `tracing` count, as an index of its ints: above 0 while a tracer,
# profiler or monitoring callback runs, and then the host reports no event.
_TRACING_INTS = {(3, 11): 11, (3, 12): 11, (3, 13): 15}
# The levels of Python calls the thread may still make before RecursionError, counted
# down as frames start and up as they end: `recursion_remaining` (3.11), a word before
# `recursion_limit`; `py_recursion_remaining` (3.12, 3.13), before `py_recursion_limit`.
_LEVELS_LEFT_FROM_TRACING = {(3, 11): -3, (3, 12): -4, (3, 13): -4}
# The word of a frame's data that links it to the frame beneath (`previous`), on the
# hosts whose thread state holds the current frame itself.
_PREVIOUS_WORDS = {(3, 13): 1}


class _Host:
    """The host's functions and the views of memory the slots use, made once, before
    guest code runs.

    All memory is read and written through two views that start at address
    0 (of 64-bit words and of C ints), indexed by address: an access makes no
    ctypes object, and no audit event, which `from_address` would raise for
    a guest's audit hook to see whenever a thread first runs `exec`.

    Made with ctypes' C core, `_ctypes`, and the types it needs (as `ctypes`
    defines them): importing `ctypes` itself costs every start-up about 1 ms
    more (CPython 3.11), 3 ms on 3.13. `function(name)` is the host's C API
    function `name`, returning an address (or None), whose integer arguments
    are C ints unless given as `size_t(value)`; `object_function(name)` one
    that returns an object, whose object arguments are given as
    `py_object(value)`; `char_array(size)` a zeroed buffer of bytes to pass
    by address. One per process: `memory()`.
    """

    def __init__(self):
        import _ctypes

        class c_void_p(_ctypes._SimpleCData):
            _type_ = "P"

        class c_char(_ctypes._SimpleCData):
            _type_ = "c"

        class PythonFunction(_ctypes.CFuncPtr):
            # ctypes.pythonapi's functions: called with the GIL held, errors checked.
            _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_PYTHONAPI
            _restype_ = c_void_p

        class Python:
            # The process's own symbols, as ctypes.pythonapi opens them on POSIX.
            _handle = _ctypes.dlopen(None, 0)

        class c_size_t(_ctypes._SimpleCData):
            _type_ = "L"

        class py_object(_ctypes._SimpleCData):
            _type_ = "O"

        class ObjectFunction(_ctypes.CFuncPtr):
            # One that returns a new reference to an object, as ctypes.pythonapi's
            # functions do whose restype is py_object.
            _flags_ = PythonFunction._flags_
            _restype_ = py_object

        self.size_t = c_size_t
        self.py_object = py_object
        self.function = lambda name: PythonFunction((name, Python))
        self.object_function = lambda name: ObjectFunction((name, Python))
        self.char_array = lambda size: (c_char * size)()
        self.thread_state = self.function("PyThreadState_Get")
        self.interpreter_state = self.function("PyInterpreterState_Get")
        # Memoryviews: indexing one costs a third of indexing a ctypes array.
        self._memory = (c_char * (sys.maxsize // 8 * 8)).from_address(0)
        memory = self.bytes()
        self.words = memory.cast("Q")
        self.ints = memory.cast("i")

    def bytes(self):
        """A new view of all memory, as bytes, with a buffer of its own: the views made
        from one view share its buffer's count of views, which a free-threaded 3.13 host
        does not update atomically, so that views made and dropped in several threads
        at once can release the buffer under all of them ("operation forbidden on
        released memoryview object"). A thread makes its own views from one of these."""
        return memoryview(self._memory).cast("B")


# PyFrameObject.f_frame, after the object's head and f_back: the frame's data.
_F_FRAME = object.__basicsize__ + 8
# The frame data's link to the frame below it (`previous`, after `f_executable`), in
# words: read where the pointer is the thread state's own word (3.13).
_PREVIOUS_WORD = 1


def _frame_data(frame):
    """The address of the host's data for `frame`."""
    return _words[(id(frame) + _F_FRAME) >> 3]


class _Slot:
    """A thread's current-frame pointer, tracing count and levels left (one per thread,
    made by that thread), as indexes of the memory views."""

    def __init__(self, host, word, cframe_word, tracing):
        state = host.thread_state()
        self.state = state >> 3
        self.word = word
        self.cframe_word = cframe_word
        self.tracing = (state >> 2) + tracing
        self.levels_left = self.tracing + _LEVELS_LEFT_FROM_TRACING[sys.version_info[:2]]
        # The pointer's index where it is a word of the thread state (3.13), else None.
        self.fixed = self.state + word if cframe_word is None else None

    def pointer(self):
        """The index of the pointer, as it is in the calling frame."""
        if self.fixed is not None:
            return self.fixed
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
    if (layout is None or _SHOW_INTERNAL_FRAMES or sys.maxsize < 2 ** 32
            or os.name != "posix"):
        return None
    host = memory()
    _words, _ints = host.words, host.ints
    slot = _Slot(host, *layout, _TRACING_INTS[version])
    if _words[slot.state + _INTERPRETER_WORD] != host.interpreter_state():
        return None

    def one_deeper():
        if not slot.holds_running_frame():
            return False
        previous = _PREVIOUS_WORDS.get(version)
        return previous is None or (
            _words[(_words[slot.pointer()] >> 3) + previous] == _frame_data(sys._getframe(1)))

    if not (slot.holds_running_frame() and one_deeper()):
        return None
    if not _links_frames_through_c(slot, _PREVIOUS_WORDS.get(version)):
        return None
    # The tracing count is 0 here and 1 in a profile function.
    seen = []
    sys.setprofile(lambda frame, event, arg: seen.append(_ints[slot.tracing]))
    sys.setprofile(None)
    if _ints[slot.tracing] != 0 or not seen or seen[0] != 1:
        return None
    # The levels left: one fewer in a function this one calls, within the limit.
    left = _ints[slot.levels_left]
    if not 0 < left < sys.getrecursionlimit() or _levels_left_in_callee(slot) != left - 1:
        return None
    return host, slot


def _levels_left_in_callee(slot):
    return _ints[slot.levels_left]


def _links_frames_through_c(slot, previous):
    """True where frames are not linked (`previous` None), or where a frame that C code
    called (from this function's) links to the C code's entry frame, which links to
    this function's: the entry frame's code is None, as the host's headers have it."""
    if previous is None:
        return True
    frame = sys._getframe()

    def called_from_c(_):
        entry = _words[(_words[slot.pointer()] >> 3) + previous]
        return (_words[entry >> 3] == id(None)
                and _words[(entry >> 3) + previous] == _frame_data(frame))

    return all(map(called_from_c, [0]))


def memory():
    """The process's _Host (64-bit POSIX hosts only)."""
    global _memory
    if _memory is None:
        _memory = _Host()
    return _memory


_memory = None


# The free-threaded object header of CPython 3.13 (its Include/object.h), in bytes:
# ob_tid (the owning thread), 16 bits of flags, ob_mutex and ob_gc_bits (a byte each),
# ob_ref_local (32 bits: the owner's count), ob_ref_shared (the other threads'), ob_type.
_OB_REF_LOCAL = 12
_OB_REF_SHARED = 16
_OB_TYPE = 24
_IMMORTAL_HOSTS = {(3, 13)}
_immortals = None  # whether make_immortal works on this host (found on its first call)


def make_immortal(objects):
    """Make each of `objects` immortal, as a free-threaded host makes the objects every
    thread uses (CPython's `_Py_SetImmortalUntracked`): no thread writes its reference
    count again. On free-threaded 3.13, whose interpreter does not specialise, every
    load of a global or a constant and every call writes the count of the object it
    loads or calls, and threads writing one count in turn run at a fraction of their
    speed. Only for objects that live as long as the process and that no other thread
    can reach yet; an immortal object is never freed. Elsewhere (a host with a GIL,
    another version or layout) nothing is done; returns whether it was."""
    global _immortals
    if _immortals is None:
        from gilless.base import hostbuild
        # (memory() is for 64-bit POSIX hosts, as _find_layout checks.)
        _immortals = (hostbuild.FREE_THREADED_BUILD and sys.version_info[:2] in _IMMORTAL_HOSTS
                      and sys.maxsize > 2 ** 32 and os.name == "posix" and _immortal_layout())
    if not _immortals:
        return False
    words, ints = memory().words, memory().ints
    for obj in objects:
        address = id(obj)
        if ints[(address + _OB_REF_LOCAL) >> 2] != -1:  # (UINT32_MAX: immortal already)
            ints[(address + _OB_REF_LOCAL) >> 2] = -1
            words[(address + _OB_REF_SHARED) >> 3] = 0
            words[address >> 3] = 0  # owned by no thread
    return True


# ob_gc_bits's flag of an object whose reference counting is deferred (3.13's
# Include/internal/pycore_gc.h): modules and their namespaces, functions, classes, code.
_OB_GC_BITS = 11
_GC_BITS_DEFERRED = 64


def deferred_references():
    """On a free-threaded 3.13 host, a function of an object: 1 where its reference
    counting is deferred (such an object holds one reference for the deferral, which
    `sys.getrefcount` counts and the host's collector does not), else 0. None where no
    object holds such a reference (a host with a GIL) or this layout is not the host's."""
    if not make_immortal(()):  # (which checks the layout, and does nothing else here)
        return None
    ints = memory().ints

    def deferred(obj):
        # (The 32-bit word at offset 8 holds the flags, ob_mutex and ob_gc_bits.)
        return ints[(id(obj) + _OB_GC_BITS - 3) >> 2] >> 24 & _GC_BITS_DEFERRED and 1

    return deferred


def _immortal_layout():
    """Whether an object's header reads as the layout above says: a fresh object's type
    where ob_type is, and its owner's count one more for one more reference."""
    words, ints = memory().words, memory().ints
    probe = []
    count = ints[(id(probe) + _OB_REF_LOCAL) >> 2]
    also = probe
    return (words[(id(probe) + _OB_TYPE) >> 3] == id(list)
            and ints[(id(also) + _OB_REF_LOCAL) >> 2] == count + 1)


_host = None
_layout = None
# The slot of the thread that installed (runs the main program).
_main_slot = None
_words = _ints = None
_call_tracing = sys.call_tracing
_getframe = sys._getframe
_gettrace, _getprofile = sys.gettrace, sys.getprofile
# Before 3.12, `sys.call_tracing` puts back whether the calling C frame traces, also
# when the function it called installed a tracer or profiler (see _trace_again).
_CALL_TRACING_RESETS = sys.version_info < (3, 12)
# Whether only Python frames take levels before RecursionError (3.12 and later: C
# recursion has a count of its own).
_FRAMES_ONLY = sys.version_info >= (3, 12)
# The slot of each thread, in its own attribute of this thread-local object (False
# where the thread's state does not have the layout).
_threads = None


def install():
    """Find the main thread's current-frame pointer, before guest code runs."""
    global _host, _layout, _threads, _main_slot
    found = _find_layout()
    if found is None:
        return
    _host, slot = found
    _layout = slot.word, slot.cframe_word, _TRACING_INTS[sys.version_info[:2]]
    _threads = _thread._local()
    _threads.slot = _main_slot = slot


def _thread_slot():
    """This thread's slot, made on its first use."""
    slot = getattr(_threads, "slot", None)
    if slot is None:
        slot = _Slot(_host, *_layout)
        _threads.slot = slot = slot if slot.holds_running_frame() else False
    return slot


def _known_slot():
    """This thread's slot where the host's layout is known; else None (or False, where
    this thread's state does not show it)."""
    return _thread_slot() if _layout is not None else None


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

    The thread's count of levels left is raised while `function` runs by the
    levels of gilless's frames between `frame` (or the bottom of the stack)
    and this one, so that it gets as deep before RecursionError as where C
    code calls it from `frame` in CPython (or starts a thread with it). On
    3.11, where C code between gilless's frames also takes levels, uncounted
    here, the main thread's at the bottom are measured instead, and given by
    `add_levels_left`.
    """
    if _layout is None:
        return function(*args, **kwargs)
    slot = getattr(_threads, "slot", None)
    if slot is None:
        slot = _thread_slot()
    if not slot or not callable(function):
        # (What calling something that is no function raises, the host's own error.)
        return function(*args, **kwargs)
    index = slot.fixed
    if index is None:
        index = slot.pointer()
        if index is None:
            return function(*args, **kwargs)
    if kwargs:
        # (sys.call_tracing passes positional arguments only.)
        function, args = partial(function, *args, **kwargs), ()
    ints = _ints
    tracing = slot.tracing
    count = ints[tracing]
    levels_left = slot.levels_left
    levels = 0
    if frame is not None or _FRAMES_ONLY or slot is not _main_slot:
        below = _getframe(1)
        levels = 1
        while below is not frame:
            if below is None:
                if frame is not None:
                    levels = 0
                break
            levels += 1
            below = below.f_back
    words = _words
    saved = words[index]
    moved = 0 if frame is None else words[(id(frame) + _F_FRAME) >> 3]
    watched = (_gettrace(), _getprofile()) if _CALL_TRACING_RESETS and not count else None
    # No call from here into the `try`: a signal's handler runs as a call returns, and
    # one that raised here would leave the count raised (tracing off for good) and the
    # pointer moved.
    ints[tracing] = count + 1
    words[index] = moved
    ints[levels_left] += levels
    try:
        # Inside a tracer's own call nothing is reported, guest code included: left so.
        return function(*args) if count else _call_tracing(function, args)
    finally:
        words[index] = saved
        ints[tracing] = count
        ints[levels_left] -= levels
        if watched is not None and watched != (_gettrace(), _getprofile()):
            _trace_again()


def _trace_again():
    """Turn on tracing in the calling C frame for a tracer or profiler that guest code
    installed inside `sys.call_tracing`, which, before 3.12, put back the frame's state
    of before (so that `exec("sys.settrace(f)")` traced nothing after it, and neither
    did a debugger that `breakpoint()` started): installing the function again sets it,
    as CPython's settrace would have in that frame."""
    tracer, profiler = _gettrace(), _getprofile()
    if tracer is not None:
        sys.settrace(tracer)
    elif profiler is not None:
        sys.setprofile(profiler)


def without_lines(code):
    """`code` with no line numbers: a tracer gets no `line` event from it. While
    `call_above` has the pointer moved, the host would report a line of its own to
    the frame the pointer names (3.12 reads the frame from it), as a line of that
    guest frame."""
    units = len(code.co_code) // 2
    # Location entries "no location" (code 15), each for up to 8 code units.
    table = bytes(0x80 | (15 << 3) | (min(8, units - start) - 1) for start in range(0, units, 8))
    return code.replace(co_linetable=table)


call_above.__code__ = without_lines(call_above.__code__)


class _FrameLinks(_thread._local):
    """Per thread, `links`: (where the thread's state holds its current frame, as an
    index of `words`; `words`; a view of the same memory that, indexed by a frame's
    data's address shifted by 3, reads the frame's link to the frame beneath; the first
    word of an entry frame), made by the thread (whose own objects cost it no contended
    reference counts on a free-threaded host); None where the thread's state does not
    show the layout."""

    def __init__(self):
        slot = _thread_slot()
        if not slot:
            self.links = None
            return
        memory = _host.bytes()
        words = memory.cast("Q")
        below = memory[8 * _PREVIOUS_WORDS[sys.version_info[:2]]:].cast("Q")
        self.links = (slot.state + slot.word, words, below, id(None))


_frame_links = None


def frame_links():
    """A thread-local object whose `links` are, in each thread, the views of memory and
    indexes that find the host's current-frame pointer and a frame's link to the frame
    beneath (see `_FrameLinks`), on hosts where the thread state holds the current
    frame itself (3.13); else None.

    For code that cannot afford `call_above`, to move the pointer itself around one
    call of C code that starts a frame (the generator guard's steps): setting
    `words[index]` to the frame beneath the moving frame (`below[words[index] >> 3]`,
    or the one beneath that if it is an entry frame: its first word is `entry`) makes
    the new frame follow it, with the moving frame out of the chain. Only where no
    tracer or profiler is on: while the pointer is moved, the host reports the moving
    frame's events as the named frame's. The moving code should have no line numbers
    (`without_lines`), and must put the pointer back before it returns."""
    global _frame_links
    if _layout is None or _layout[1] is not None or sys.version_info[:2] not in _PREVIOUS_WORDS:
        return None
    if _frame_links is None:
        _frame_links = _FrameLinks()
    return _frame_links


def gives_bottom_levels():
    """True where call_at_bottom gives its function CPython's levels before
    RecursionError itself in the main thread (the host's layout is known, and
    only Python frames take levels): the main program's need no measuring (see
    gilless.module.sysmodule)."""
    return _layout is not None and _FRAMES_ONLY


def levels_left():
    """How many more nested calls the calling frame can make before RecursionError, as
    the thread's count says; None where the host's layout is not known."""
    slot = _known_slot()
    if not slot:
        return None
    # (This frame is one level deeper than the caller's.)
    return _ints[slot.levels_left] + 1


def add_levels_left(levels):
    """Give this thread `levels` more levels of calls before RecursionError (or take
    them, negative) from now on: those that gilless's frames below the guest's take,
    which count for nothing in CPython. (Raising the host's recursion limit instead
    would give them to every thread.) False, and nothing done, where the host's
    layout is not known."""
    slot = _known_slot()
    if not slot:
        return False
    _ints[slot.levels_left] += levels
    return True


# The levels of calls that gilless's own frames beneath guest code get once it returns.
_LEVELS_FOR_GILLESS = 100


def call_at_bottom(function, *args, **kwargs):
    """`function(*args, **kwargs)`, its frame the bottom of this thread's stack.

    Once it returns, the thread has at least `_LEVELS_FOR_GILLESS` levels of
    calls left before RecursionError: the guest's code may have set a recursion
    limit as low as its own depth allows, below the depth of gilless's frames
    that go on (the runner's last steps, the exit's), which CPython runs in C.
    Guest code run from the bottom again (atexit functions, `__del__` at exit)
    may then go as many levels deeper than in CPython.
    """
    try:
        return call_above(None, function, *args, **kwargs)
    finally:
        # (No Python call here: there may be no level left for one.)
        slot = getattr(_threads, "slot", None)
        if slot and _ints[slot.levels_left] < _LEVELS_FOR_GILLESS:
            _ints[slot.levels_left] = _LEVELS_FOR_GILLESS


def thread_state():
    """This thread's state as (a ctypes array of words, the index of the state's first
    word in it), or None where the host's layout is not known: for reading what the
    host keeps there, by indexing alone."""
    slot = _known_slot()
    return (_words, slot.state) if slot else None

