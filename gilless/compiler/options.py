"""What, besides the source, decides the host code a guest module compiles to."""

from collections import namedtuple

# compile()'s flag for a tree rather than code (`ast.PyCF_ONLY_AST`, the same on every
# host), here so that compiling code does not import `ast`.
PyCF_ONLY_AST = 0x400

# The compile() flags of `from __future__` features (CO_FUTURE_*), which code carries
# in its co_flags and the code it compiles inherits.
FUTURE_FLAGS_MASK = 0x1FE0000 | 0x2000000

# gil: insert GIL switch points (see gilless.concurrency.gil).
# optimize: CPython's -O level: 0 keeps asserts and __debug__, 1 drops them, 2 docstrings too.
# accesses: turn shared accesses into events (see gilless.compiler.accesses) for the tool
# named ("race" or "schedule"), or not (False).
# guard_generators: guard generators against the host's crash on concurrent use (see
# gilless.compiler.generatorguard; only hosts that need it ask for it).
# (collections.namedtuple rather than typing.NamedTuple: `typing` is slow to import, and
# every start-up would pay for it.)
_Fields = namedtuple("CompileOptions", ("gil", "optimize", "accesses", "guard_generators"),
                     defaults=(False, 0, False, False))


class CompileOptions(_Fields):
    __slots__ = ()

    @property
    def instrumented(self):
        """True when the tree must go through lowering passes before code generation."""
        return self.gil or self.accesses or self.guard_generators

    def cache_tag(self):
        # The form of the inserted code is part of the compiled code.
        tag = "nogil"
        if self.gil:
            from gilless.compiler.switchpoints import FORM
            tag = f"gil{FORM}"
        if self.accesses:
            from gilless.compiler.accesses import FORM
            tag += f"-{self.accesses}{FORM}"
        if self.guard_generators:
            from gilless.compiler.generatorguard import FORM
            tag += f"-gen{FORM}"
        return f"{tag}-O{self.optimize}"
