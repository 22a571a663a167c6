import types

from gilless.base import hosttypes

NAMES = ("ModuleType", "FunctionType", "MethodType", "CodeType", "GeneratorType",
         "SimpleNamespace", "TracebackType")


def test_each_is_the_type_that_types_names():
    """(gilless's start-up does without `types` itself: tests/test_layers.py.)"""
    for name in NAMES:
        assert getattr(hosttypes, name) is getattr(types, name), name

