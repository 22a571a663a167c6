"""What, besides the source, decides the host code a guest module compiles to."""

from _operator import itemgetter

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
class CompileOptions(tuple):
    """The fields above, as a named tuple of them (written out rather than made by
    `collections.namedtuple`: every start-up would import `collections` for it)."""

    __slots__ = ()
    _fields = ("gil", "optimize", "accesses", "guard_generators")

    def __new__(cls, gil=False, optimize=0, accesses=False, guard_generators=False):
        return tuple.__new__(cls, (gil, optimize, accesses, guard_generators))

    gil = property(itemgetter(0))
    optimize = property(itemgetter(1))
    accesses = property(itemgetter(2))
    guard_generators = property(itemgetter(3))

    def _replace(self, **changes):
        return CompileOptions(**{**dict(zip(self._fields, self)), **changes})

    def __getnewargs__(self):
        return tuple(self)

    def __repr__(self):
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"CompileOptions({fields})"

    @property
    def instrumented(self):
        """True when the tree must go through lowering passes before code generation."""
        return self.gil or self.accesses or self.guard_generators

    def code_form(self):
        """What the lowering passes put in the code, as a short tag (`gil3`, `race12`,
        `gen7`, joined by dashes), "" where the code is the host compiler's own."""
        parts = []
        if self.gil:
            from gilless.compiler.switchpoints import FORM
            parts.append(f"gil{FORM}")
        if self.accesses:
            from gilless.compiler.accesses import FORM
            parts.append(f"{self.accesses}{FORM}")
        if self.guard_generators:
            from gilless.compiler.generatorguard import FORM
            parts.append(f"gen{FORM}")
        return "-".join(parts)

    def cache_tag(self):
        # The form of the inserted code is part of the compiled code.
        form = self.code_form()
        tag = form if self.gil else "-".join(filter(None, ("nogil", form)))
        return f"{tag}-O{self.optimize}"
