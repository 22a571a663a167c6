"""The stacks the tools keep for their reports (gilless.instrument.stacks)."""

from gilless.instrument import stacks


class Frame:
    """What capture_stack reads of a frame, on an object whose address a test chooses."""

    def __init__(self, code=None, caller=None, offset=0):
        self.f_code, self.f_back, self.f_lasti = code, caller, offset


def outer():
    pass


def caller():
    pass


def other_caller():
    pass


def callee():
    pass


def _walks(monkeypatch):
    """The list to which each walk of a stack from now on is added."""
    walks = []
    walk = stacks._walk
    monkeypatch.setattr(stacks, "_walk", lambda *args: walks.append(args) or walk(*args))
    return walks


def _functions(stack):
    return [code for code, _line in stacks.stack_frames(stack)]


def test_frames_that_swap_addresses_keep_their_cached_stacks(monkeypatch):
    # A function and the one it calls often get each other's frame addresses on the next
    # call: the cache keeps both frames' entries, and a loop's accesses stop walking.
    walks = _walks(monkeypatch)
    loop = Frame(outer.__code__, None, 10)
    first, second = Frame(), Frame()
    cache = {}
    for call in range(6):
        frame, its_caller = (first, second) if call % 2 else (second, first)
        its_caller.f_code, its_caller.f_back, its_caller.f_lasti = caller.__code__, loop, 20
        frame.f_code, frame.f_back, frame.f_lasti = callee.__code__, its_caller, 30
        stack = stacks.capture_stack(frame, cache)
        assert _functions(stack) == [callee.__code__, caller.__code__, outer.__code__]
    # (The first two calls walked: one for each frame address.)
    assert len(walks) == 2


def test_a_function_called_from_two_places_keeps_a_stack_for_each(monkeypatch):
    # A class's __init__, called in turn from two methods, gets the same frame address
    # from each: the cache keeps an entry for each place it is called from.
    walks = _walks(monkeypatch)
    loop = Frame(outer.__code__, None, 10)
    callers = {function: Frame(function.__code__, loop, 20)
               for function in (caller, other_caller)}
    frame = Frame()
    cache = {}
    for call in range(6):
        function = other_caller if call % 2 else caller
        frame.f_code, frame.f_back, frame.f_lasti = callee.__code__, callers[function], 30
        stack = stacks.capture_stack(frame, cache)
        assert _functions(stack) == [callee.__code__, function.__code__, outer.__code__]
    assert len(walks) == 2
