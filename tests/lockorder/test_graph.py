"""`gilless.lockorder` as any tool calls it: the events of lock operations, the graph they
build (and let go of as locks die), and the Inversion handed to the tool's reporter."""

import gc
import threading

import pytest

from gilless import lockorder


class Lock:
    """What lockorder needs of a lock: an `_order` slot, and weak references."""

    __slots__ = ("_order", "__weakref__")

    def __init__(self):
        self._order = None


class Thread:
    """A tool's view of a thread."""

    def __init__(self, name):
        self.name = name
        self.created = None

    def describe(self):
        return self.name


@pytest.fixture
def found():
    """Start checking (a Thread named after the host thread, which lockorder asks for once
    per thread); the reports."""
    reports = []

    def current_thread():
        return Thread(f"thread {threading.current_thread().name}")

    lockorder.start(reports.append, current_thread)
    yield reports
    lockorder.start(None, None)


def take(*locks):
    for lock in locks:
        lockorder.acquired(lock)
    for lock in reversed(locks):
        lockorder.releasing(lock)


def in_thread(work, name):
    thread = threading.Thread(target=work, name=name)
    thread.start()
    thread.join()


def test_an_inversion_between_two_threads_is_handed_to_the_reporter_once(found):
    a, b = Lock(), Lock()
    in_thread(lambda: take(a, b), "one")
    assert found == []
    for _ in range(3):
        in_thread(lambda: take(b, a), "two")
    [inversion] = found
    assert [(edge.source, edge.target) for edge in inversion.edges] == \
        [(a._order, b._order), (b._order, a._order)]
    assert [edge.thread.describe() for edge in inversion.edges] == ["thread one", "thread two"]
    assert inversion.cycle() == "M1 (Lock) => M2 (Lock) => M1"
    text = inversion.format()
    assert text.startswith("==================\n" + lockorder.HEADER + "\n")
    assert "Mutex M2 acquired here while holding mutex M1 in thread one:\n" in text
    assert "Mutex M1 acquired here while holding mutex M2 in thread two:\n" in text


def test_the_creation_site_names_a_lock(found):
    a, b = Lock(), Lock()
    lockorder.created(a)
    line = test_the_creation_site_names_a_lock.__code__.co_firstlineno + 2
    take(a, b)
    take(b, a)
    [inversion] = found
    assert inversion.cycle() == f"M1 (Lock created at {__file__}:{line}) => M2 (Lock) => M1"


def test_locks_that_die_leave_the_graph(found):
    outer = Lock()
    for _ in range(500):
        take(outer, Lock())
    gc.collect()
    # The dead are dropped when the next edge is added.
    take(outer, Lock())
    assert len(outer._order.out) <= 2


def test_a_lock_released_by_another_thread_is_a_signal_and_leaves_the_graph(found):
    held, signal = Lock(), Lock()
    lockorder.acquired(held)
    lockorder.acquired(signal)
    in_thread(lambda: lockorder.releasing(signal), "other")
    lockorder.releasing(held)
    assert signal._order.signal and held._order.out is None
    # It is never held again: no edge, whatever the order.
    take(signal, held)
    take(held, signal)
    assert found == [] and held._order.out is None


def test_an_acquire_given_up_by_the_holder_makes_a_signal(found):
    mutex, waiter = Lock(), Lock()
    lockorder.acquired(mutex)
    lockorder.acquired(waiter)
    lockorder.releasing(mutex)
    lockorder.not_acquired(waiter)
    # The waiter is no longer held: taking the mutex now makes no edge from it.
    take(mutex)
    assert waiter._order.signal and found == []


def test_a_lock_that_dies_held_is_held_no_longer(found):
    # Condition.wait(0) leaves its waiter locked, and drops it.
    outer = Lock()
    lockorder.acquired(outer)
    for _ in range(100):
        lockorder.acquired(Lock())
    gc.collect()
    assert [entry[lockorder.NODE] for entry in lockorder._tls.state.held] == [outer._order]
    lockorder.releasing(outer)


def test_a_reinitialized_lock_is_held_no_longer(found):
    # `_at_fork_reinit` in a child process: what it takes next is under no lock.
    outer, inner = Lock(), Lock()
    lockorder.acquired(outer)
    lockorder.reinitialized(outer)
    take(inner)
    assert outer._order.out is None and lockorder._tls.state.held == []


def test_a_try_lock_is_held_but_takes_no_edge(found):
    a, b, c = Lock(), Lock(), Lock()
    lockorder.acquired(a)
    lockorder.acquired(b, blocking=False)
    take(c)
    lockorder.releasing(b)
    lockorder.releasing(a)
    assert set(a._order.out) == {c._order.key}
    assert set(b._order.out) == {c._order.key}


def test_locks_taken_by_a_finaliser_while_the_graph_changes_leave_their_edge_for_later(found):
    # The collector can run a finaliser that nests locks while this thread adds an edge
    # (the graph lock held): that must not wait for itself.
    import signal

    def hang(signum, frame):
        raise AssertionError("the nested edge waited for the graph lock")

    a, b = Lock(), Lock()
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(10)
    try:
        with lockorder._graph_lock:
            take(a, b)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert a._order.out is None
    take(a, b)
    assert set(a._order.out) == {b._order.key}
