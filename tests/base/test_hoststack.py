"""What gilless does to the host's objects: made immortal on free-threaded 3.13 only."""

import gc
import os
import sys
import threading

import pytest

from gilless import instrument
from gilless.base import hostbuild, hoststack
from gilless.instrument import events, stacks
from gilless.race import detector

IMMORTAL_HOST = hostbuild.FREE_THREADED_BUILD and sys.version_info[:2] == (3, 13)


def test_an_object_is_made_immortal_where_the_host_has_the_layout():
    table = {"fresh": object()}
    before = sys.getrefcount(table)
    assert hoststack.make_immortal([table]) == IMMORTAL_HOST
    if IMMORTAL_HOST:
        # (The count the host reports for its own immortal objects.)
        assert sys.getrefcount(table) == sys.getrefcount(None)
    else:
        assert sys.getrefcount(table) == before


def test_an_immortal_table_works_and_keeps_what_it_holds():
    table = {}
    hoststack.make_immortal([table])

    def fill(first):
        for key in range(first, first + 5000):
            table[key] = [key]

    threads = [threading.Thread(target=fill, args=(n * 5000,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gc.collect()
    assert len(table) == 10000
    assert all(table[key] == [key] for key in range(10000))
    del table[0]
    assert 0 not in table and len(table) == 9999


def test_the_runtime_every_thread_calls_is_what_is_made_immortal():
    found = instrument._runtime_objects((detector, None))
    ids = {id(obj) for obj in found}
    for obj in (events, events.ra, events.ra.__code__, events.wi, stacks.capture_stack,
                detector, detector.access, detector.shadows, detector.threads, id):
        assert id(obj) in ids, obj


@pytest.mark.skipif(os.name != "posix" or sys.maxsize < 2 ** 32,
                    reason="the views of memory are made on 64-bit POSIX hosts")
def test_views_made_and_dropped_in_threads_leave_the_shared_ones_working():
    # Each thread makes its own views of memory (the generator guard's frame links);
    # made from the shared view, they shared its buffer's count of views, which a
    # free-threaded 3.13 host does not update atomically: the buffer was released
    # under every view, and the next step of a guarded generator failed.
    host = hoststack.memory()
    errors = []

    def views():
        try:
            for _ in range(30000):
                memory = host.bytes()
                words = memory.cast("Q")
                below = memory[8:].cast("Q")
                del memory, words, below
        except ValueError as error:
            errors.append(error)

    threads = [threading.Thread(target=views) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert host.words.itemsize == 8 and host.ints.itemsize == 4


def test_the_levels_left_are_what_recursion_finds():
    """`levels_left` reads the thread's count of levels before RecursionError (where the
    host's layout is known): what recursing until RecursionError counts."""
    hoststack.install()
    if hoststack.levels_left() is None:
        pytest.skip("the host's thread state layout is not known")

    def recursed():
        try:
            return recursed() + 1
        except RecursionError:
            return 1

    def compare():
        return hoststack.levels_left(), recursed()

    def deeper(n):
        return compare() if n == 0 else deeper(n - 1)

    for depth in (0, 10, 100):
        read, found = deeper(depth)
        assert read == found
