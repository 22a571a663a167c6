"""The guest `_warnings`: just enough for importlib's bootstrap.

The guest's `warnings` module then finds no C accelerator here and runs its
pure-Python implementation, whose filters and registry are the guest's own.
"""

import types

from gilless.base.state import world


def warn(message, category=None, stacklevel=1, source=None, **kwargs):
    warnings = world.modules.get("warnings")
    if warnings is None:
        warnings = world.builtins["__import__"]("warnings")
    # One more level: this function's frame stands between the caller and warnings.warn.
    warnings.warn(message, category, stacklevel + 1, source, **kwargs)


warn.__module__ = "_warnings"

# The guest module's names.
DEFINITIONS = {"warn": warn}


def create(space):
    module = types.ModuleType("_warnings", "gilless stand-in for the _warnings accelerator")
    module.__dict__.update(DEFINITIONS)
    return module
