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
    assert pickle.loads(pickle.dumps(tuple(flags))) == tuple(flags)
