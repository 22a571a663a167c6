"""A guarded generator that only a loop or an unpacking holds is handed to it as the host
generator (gilless.concurrency.generators): its steps are the host's. Anything else that
can reach it keeps it behind the guard."""

import dis
import sys
import weakref

import pytest

from gilless.concurrency import generators
from gilless.concurrency.generators import Generator

pytestmark = pytest.mark.skipif(generators._SOLE_CONSUMERS is None,
                                reason="the host keeps every generator behind its guard")


def test_the_instructions_are_the_hosts():
    names = {"GET_ITER", "UNPACK_SEQUENCE", "UNPACK_EX", "LIST_EXTEND", "SET_UPDATE",
             "CALL_FUNCTION_EX"}
    assert generators._SOLE_CONSUMERS == {dis.opmap[name] for name in names}


def advanced_by():
    """A guarded generator of two values, each the code of the frame that advanced it
    (a guard's step, or what took the host generator)."""
    def body():
        for _ in range(2):
            yield sys._getframe(1).f_code
    return Generator(body())


HERE = sys._getframe().f_code


def loop_frames():
    return [code for code in advanced_by()]


def test_a_loop_that_alone_holds_it_runs_the_host_generator():
    loop = []
    for code in advanced_by():
        loop.append(code)
    assert loop == [test_a_loop_that_alone_holds_it_runs_the_host_generator.__code__] * 2
    assert loop_frames() == [loop_frames.__code__] * 2


def unpacked():
    def take(*values):
        return values
    first, second = advanced_by()
    head, *rest = advanced_by()
    return [first, second, head, *rest, *[*advanced_by()], *{*advanced_by()},
            *take(*advanced_by())]


def test_unpacking_runs_the_host_generator():
    assert set(unpacked()) == {unpacked.__code__}


def test_a_generator_others_can_reach_stays_guarded():
    step = Generator.__next__.__code__
    shared = advanced_by()
    assert [code for code in shared] == [step, step]
    box = [advanced_by()]
    assert [code for code in box[0]] == [step, step]
    assert list(advanced_by()) == [step, step]
    references = []

    def weakly_referenced():
        guarded = advanced_by()
        references.append(weakref.ref(guarded))
        return guarded
    assert [code for code in weakly_referenced()] == [step, step]
    fresh = advanced_by()
    assert iter(fresh) is fresh



@pytest.fixture
def built_in_consumers(monkeypatch):
    # (As add_guard_names sets them for the guest's built-ins, which are the host's.)
    monkeypatch.setattr(generators, "_eager_consumers", frozenset(map(id, (list, sum))))
    monkeypatch.setattr(generators, "_lazy_consumers", frozenset(map(id, (enumerate, zip))))


def test_a_built_in_that_alone_holds_it_gets_the_host_generator(built_in_consumers):
    step = Generator.__next__.__code__
    here = test_a_built_in_that_alone_holds_it_gets_the_host_generator.__code__
    handed = generators.consumed_by((list,), advanced_by())
    assert type(handed) is not Generator
    assert list(handed) == [here] * 2
    # Through built-ins that make iterators, which a loop or an eager built-in advances.
    # (Called outside `assert`, whose rewriting keeps the argument for its message.)
    for chain in ((None, enumerate), (None, zip, enumerate), (sum, zip)):
        handed = generators.consumed_by(chain, advanced_by())
        assert type(handed) is not Generator
    # Another callee, a built-in in another role, or a generator something else holds
    # keeps the guard.
    for chain in ((print,), (enumerate,), (None, sum), (None, enumerate, print),
                  (list, list)):
        handed = generators.consumed_by(chain, advanced_by())
        assert type(handed) is Generator
    shared = advanced_by()
    assert generators.consumed_by((list,), shared) is shared
    assert list(shared) == [step, step]


def test_a_generator_expression_given_to_a_built_in_is_left_unguarded(built_in_consumers):
    raw = (x for x in ())
    assert generators.guard_generator_for((sum,), raw) is raw
    assert generators.guard_generator_for((None, enumerate), raw) is raw
    for chain in ((print,), (None, print), (enumerate,)):
        guarded = generators.guard_generator_for(chain, raw)
        assert type(guarded) is Generator and guarded._generator is raw
