"""A wait costs parallel time only while the threads not waiting leave a core idle
(gilless.threadprof.analysis._wait_costs): with more threads than cores, a thread that
waits may leave its core to another."""

import pytest

from gilless.threadprof.analysis import _wait_costs

LOCK = "lock", "prog.py:3"
QUEUE = "queue get", "prog.py:4"


def timeline(*threads):
    """One thread per argument: its segments as (begin, end, state, site)."""
    return [{"index": index, "segments": [list(segment) for segment in segments]}
            for index, segments in enumerate(threads)]


def waiting(key, begin=0.0, end=1.0):
    return begin, end, key[0], key[1]


def running(begin=0.0, end=1.0):
    return begin, end, "running", None


@pytest.mark.parametrize("threads, cores, share", [
    # As many threads as cores: every wait is lost time.
    ([[running()], [waiting(LOCK)]], 2, 1.0),
    # A third thread keeps both cores busy while one waits: nothing lost.
    ([[running()], [running()], [waiting(LOCK)]], 2, 0.0),
    # One runs, three wait: one core of two idles, shared by the three waits.
    ([[running()], [waiting(LOCK)], [waiting(LOCK)], [waiting(LOCK)]], 2, 1 / 3),
    # Threads waiting for "gil-or-host-lock" still want a core.
    ([[(0.0, 1.0, "gil-or-host-lock", None)], [running()], [waiting(LOCK)]], 2, 0.0),
])
def test_a_wait_costs_what_the_cores_lose(threads, cores, share):
    assert _wait_costs(timeline(*threads), cores)[LOCK] == pytest.approx(share)


def test_the_cost_is_shared_among_the_waits_of_each_moment():
    # First half: one thread runs, the lock's waiter and the queue's waiter share one
    # idle core; second half: the queue's waiter, beside two running threads, costs
    # nothing.
    costs = _wait_costs(timeline([running()], [waiting(LOCK, 0.0, 0.5)], [waiting(QUEUE)],
                                 [running(0.5, 1.0)]), 2)
    assert costs[LOCK] == pytest.approx(0.5)
    assert costs[QUEUE] == pytest.approx(0.25)


def test_joins_and_io_are_not_waits_that_lose():
    costs = _wait_costs(timeline([running()], [(0.0, 1.0, "join", "prog.py:9")],
                                 [(0.0, 1.0, "io", None)]), 1)
    assert costs == {}


def test_a_threads_waits_come_back_in_order_from_both_writers():
    # The thread's own waits and the sampler's are kept apart (one writer each) and read
    # together, by time; a site may be None.
    from gilless.threadprof.recorder import ThreadRecord
    record = ThreadRecord(0, "T", None)
    record.intervals.add(2.0, 3.0, "lock", ("prog.py", 3))
    record.sampler_intervals.add(1.0, 1.5, "lock", None)
    record.intervals.add(1.0, 1.5, "sleep", None)
    record.intervals.add(4.0, 4.5, "lock", ("prog.py", 3))
    assert record.all_intervals() == [(1.0, 1.5, "sleep", None), (1.0, 1.5, "lock", None),
                                      (2.0, 3.0, "lock", ("prog.py", 3)),
                                      (4.0, 4.5, "lock", ("prog.py", 3))]
