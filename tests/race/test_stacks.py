"""The stacks the tools keep for their reports (gilless.instrument.stacks)."""

from gilless.instrument import stacks


class Frame:
    """What capture_stack reads of a frame, on an object whose address a test chooses."""

    def __init__(self):
        self.f_code = self.f_back = None
        self.f_lasti = 0


def outer():
    pass


def caller():
    pass


def callee():
    pass


def test_frames_that_swap_addresses_keep_their_cached_stacks(monkeypatch):
    # A function and the one it calls often get each other's frame addresses on the next
    # call: the cache keeps both frames' entries, and a loop's accesses stop walking.
    walks = []
    walk = stacks._walk
    monkeypatch.setattr(stacks, "_walk", lambda *args: walks.append(args) or walk(*args))
    loop = Frame()
    loop.f_code, loop.f_lasti = outer.__code__, 10
    first, second = Frame(), Frame()
    cache = {}
    for call in range(6):
        frame, its_caller = (first, second) if call % 2 else (second, first)
        its_caller.f_code, its_caller.f_back, its_caller.f_lasti = caller.__code__, loop, 20
        frame.f_code, frame.f_back, frame.f_lasti = callee.__code__, its_caller, 30
        stack = stacks.capture_stack(frame, cache)
        assert [code for code, _line in stacks.stack_frames(stack)] == \
            [callee.__code__, caller.__code__, outer.__code__]
    # (The first two calls walked: one for each frame address.)
    assert len(walks) == 2


def other_caller():
    pass


def test_a_function_called_from_two_places_keeps_a_stack_for_each(monkeypatch):
    # A class's __init__, called in turn from two methods, gets the same frame address
    # from each: the cache keeps an entry for each place it is called from.
    walks = []
    walk = stacks._walk
    monkeypatch.setattr(stacks, "_walk", lambda *args: walks.append(args) or walk(*args))
    loop = Frame()
    loop.f_code, loop.f_lasti = outer.__code__, 10
    callers = {caller: Frame(), other_caller: Frame()}
    for function, its_caller in callers.items():
        its_caller.f_code, its_caller.f_back, its_caller.f_lasti = function.__code__, loop, 20
    frame = Frame()
    cache = {}
    for call in range(6):
        function = other_caller if call % 2 else caller
        frame.f_code, frame.f_back, frame.f_lasti = callee.__code__, callers[function], 30
        stack = stacks.capture_stack(frame, cache)
        assert [code for code, _line in stacks.stack_frames(stack)] == \
            [callee.__code__, function.__code__, outer.__code__]
    assert len(walks) == 2
