"""Struct sequences built in Python behave like CPython's C ones (as sys.flags does)."""

import pickle
import sys

import pytest

from gilless.module.structseq import struct_sequence_type


def test_looks_like_the_c_type():
    Flags = struct_sequence_type("sys.flags", ("debug", "optimize"), ("gil",))
    flags = Flags((0, 2), {"gil": None})
    assert repr(flags) == "sys.flags(debug=0, optimize=2)"
    assert repr(Flags) == "<class 'sys.flags'>"
    assert (flags.debug, flags.optimize, flags.gil) == (0, 2, None)
    assert flags == (0, 2) and len(flags) == 2 and flags[1] == 2
    assert (Flags.n_fields, Flags.n_sequence_fields, Flags.n_unnamed_fields) == (3, 2, 0)
    assert Flags.__match_args__ == ("debug", "optimize")


def test_fields_are_read_only():
    Info = struct_sequence_type("sys.thing", ("a",))
    info = Info((1,))
    for action in (lambda: setattr(info, "a", 2), lambda: delattr(info, "a")):
        with pytest.raises(AttributeError, match="readonly attribute"):
            action()
    with pytest.raises(AttributeError):
        info.other = 1
    with pytest.raises(TypeError, match=r"takes a 1-sequence \(2-sequence given\)"):
        Info((1, 2))


def test_guest_flags_match_the_host_shape():
    from gilless.module import sysmodule
    from gilless.objspace.config import Config
    flags = sysmodule._flags(Config(optimize=2, no_site=True))
    assert flags.optimize == 2 and flags.no_site == 1
    assert len(flags) == len(sys.flags)
    assert type(flags).n_fields == sys.flags.n_fields
    assert repr(flags).startswith("sys.flags(debug=0, inspect=0")
    # The same reduction as the host's: its class, the items, the attribute-only fields.
    cls, (items, extra) = flags.__reduce__()
    host_cls, (host_items, host_extra) = sys.flags.__reduce__()
    assert cls is type(flags) and items == tuple(flags)
    assert extra.keys() == host_extra.keys()


# Pickle finds a class by its module and name: this one is this module's `Point`.
Point = struct_sequence_type(f"{__name__}.Point", ("x", "y"), ("label",))


def test_reduces_to_its_class_items_and_attribute_only_fields():
    point = Point((1, 2), {"label": "origin"})
    assert point.__reduce__() == (Point, ((1, 2), {"label": "origin"}))
    Plain = struct_sequence_type("sys.plain", ("a",))
    assert Plain((1,)).__reduce__() == (Plain, ((1,), {}))


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickles_as_itself(protocol):
    copy = pickle.loads(pickle.dumps(Point((1, 2), {"label": "origin"}), protocol))
    assert type(copy) is Point
    assert (copy, copy.label) == ((1, 2), "origin")
