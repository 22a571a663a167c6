"""Code generation: a guest tree or source becomes a host code object."""

import ast

from gilless.compiler import frontend, lowering
from gilless.compiler.options import CompileOptions

DEFAULT_OPTIONS = CompileOptions()


def compile_guest(source, filename, mode="exec", flags=0, options=DEFAULT_OPTIONS,
                  feature_version=-1):
    """Compile guest `source` (str, bytes or an `ast` tree) to a host code object.

    `flags` are the guest's `compile()` flags (future features, PyCF_*); with
    `ast.PyCF_ONLY_AST` the (unlowered) tree is returned, as CPython does.
    """
    if flags & ast.PyCF_ONLY_AST:
        return compile(source, filename, mode, flags, dont_inherit=True,
                       optimize=options.optimize, _feature_version=feature_version)
    if options.instrumented:
        if not isinstance(source, ast.AST):
            source = frontend.parse(source, filename, mode, flags)
        source = lowering.lower(source, options)
    return compile(source, filename, mode, flags, dont_inherit=True,
                   optimize=options.optimize, _feature_version=feature_version)
