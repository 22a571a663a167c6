"""Lowering passes: rewrite a guest tree for an instrumented execution mode.

Each pass is an `ast.NodeTransformer` that keeps the line numbers of the
nodes it wraps, so tracebacks still point at guest source. The default mode
runs no pass at all.
"""

import ast


def passes_for(options):
    """The transformers that `options` asks for, in the order they run."""
    passes = []
    if options.gil:
        from gilless.compiler.switchpoints import SwitchPointInserter
        passes.append(SwitchPointInserter())
    return passes


def lower(tree, options):
    for transformer in passes_for(options):
        tree = transformer.visit(tree)
    return ast.fix_missing_locations(tree)
