"""Lowering passes: rewrite a guest tree for an instrumented execution mode.

Each pass is an object whose `visit(tree)` returns the rewritten tree (an
`ast.NodeTransformer`, or an iterative walk where trees may be deeper than
the recursion limit) and keeps the line numbers of the nodes it wraps, so
tracebacks still point at guest source. The default mode
runs no pass at all. `finish` completes the host code of a mode whose
compiled code refers to a runtime object (the access events), after the
compile cache has stored the marshallable form.
"""

import os

from gilless.base import hostbuild

# Standard library files whose accesses are not events: the import system
# (gilless's own machinery, synchronised by its locks), `threading`, whose
# primitives are the synchronisation events themselves (its lock-free reads
# of flags such as `Event._flag` are correct under CPython's memory model,
# as the synchronisation code of Go's runtime is not instrumented either), and
# `queue`, whose queues keep their state under their own locks (Go's channels).
_STDLIB = hostbuild.STDLIB
UNWATCHED = frozenset({
    "<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>",
    os.path.join(_STDLIB, "threading.py"), os.path.join(_STDLIB, "_threading_local.py"),
    os.path.join(_STDLIB, "queue.py"),
})


# What a path to an installed package holds, wherever the environment is (the guest's
# may not be the host's), also under the standard library's directory.
INSTALLED = (f"{os.sep}site-packages{os.sep}", f"{os.sep}dist-packages{os.sep}")
# Caches that a standard-library module keeps in attributes and that whichever thread
# misses first fills, by the module's file under the standard library: their items, as
# a module's global containers, are the module's own state (gilless.compiler.accesses;
# a change here changes compiled code: a new accesses.FORM).
_STDLIB_CACHES = {
    # An enum class's members by value; a Flag's combinations are added as first made.
    "enum.py": frozenset({"_value2member_map_"}),
}


def is_stdlib(filename):
    """Whether `filename` is a module of the host's standard library (not a package
    installed beside it)."""
    return (filename is not None and filename.startswith(_STDLIB + os.sep)
            and not any(part in filename for part in INSTALLED))


def passes_for(options, filename=None):
    """The transformers that `options` asks for, in the order they run."""
    passes = []
    if options.accesses and filename not in UNWATCHED:
        from gilless.compiler.accesses import AccessInstrumenter
        stdlib = is_stdlib(filename)
        caches = _STDLIB_CACHES.get(os.path.relpath(filename, _STDLIB)) if stdlib else None
        passes.append(AccessInstrumenter(stdlib=stdlib, caches=caches or frozenset(),
                                         fused_updates=options.accesses == "race"))
    if options.gil:
        from gilless.compiler.switchpoints import SwitchPointInserter
        passes.append(SwitchPointInserter())
    if options.guard_generators:
        from gilless.compiler import generatorguard
        if filename not in generatorguard.UNGUARDED:
            passes.append(generatorguard.GeneratorGuard())
    return passes


def lower(tree, options, filename=None):
    for transformer in passes_for(options, filename):
        tree = transformer.visit(tree)
    return fix_missing_locations(tree)


def fix_missing_locations(tree):
    """Give each node without a position its parent's start, without recursion (for
    trees deeper than the recursion limit).

    Unlike `ast.fix_missing_locations`, a missing end stays missing, which the
    compiler reads as the node's own start: a tree that another tool built with
    starts only (pytest's assertion rewriting does) would otherwise get its
    parent's end, before its start, and fail to compile."""
    import ast
    stack = [(tree, 1, 0)]
    while stack:
        node, lineno, col_offset = stack.pop()
        if "lineno" in node._attributes:
            lineno = _start(node, "lineno", "end_lineno", lineno)
            col_offset = _start(node, "col_offset", "end_col_offset", col_offset)
        for child in ast.iter_child_nodes(node):
            stack.append((child, lineno, col_offset))
    return tree


def _start(node, start, end, parents):
    """`node`'s own `start` position, or the parent's given to it (with no `end`)."""
    own = getattr(node, start, None)
    if own is None:
        setattr(node, start, parents)
        setattr(node, end, None)
        return parents
    return own


# The module that instrumented code calls (gilless.instrument.events), registered by the
# instrumentation layer when a mode that uses it starts.
events_runtime = None


def finish(code, options):
    """The host code to run for compiled `code` (the form the compile cache keeps)."""
    if options.accesses:
        from gilless.compiler import accesses
        return accesses.finish(code, events_runtime)
    return code
