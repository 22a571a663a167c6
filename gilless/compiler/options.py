"""What, besides the source, decides the host code a guest module compiles to."""

from typing import NamedTuple


class CompileOptions(NamedTuple):
    # Insert GIL switch points (see gilless.concurrency.gil).
    gil: bool = False
    # CPython's -O level: 0 keeps asserts and __debug__, 1 drops them, 2 drops docstrings too.
    optimize: int = 0

    @property
    def instrumented(self):
        """True when the tree must go through lowering passes before code generation."""
        return self.gil

    def cache_tag(self):
        return f"{'gil' if self.gil else 'nogil'}-O{self.optimize}"
