"""Code generation: a guest tree or source becomes a host code object."""

import ast
import copy

from gilless.compiler import frontend, lowering
from gilless.compiler.options import CompileOptions

DEFAULT_OPTIONS = CompileOptions()


def compile_guest(source, filename, mode="exec", flags=0, options=DEFAULT_OPTIONS,
                  feature_version=-1, finished=True):
    """Compile guest `source` (str, bytes or an `ast` tree) to a host code object.

    `flags` are the guest's `compile()` flags (future features, PyCF_*); with
    `ast.PyCF_ONLY_AST` the (unlowered) tree is returned, as CPython does.
    With `finished` false, the code is left in the form the compile cache
    stores (see `lowering.finish`).
    """
    if flags & ast.PyCF_ONLY_AST:
        return compile(source, filename, mode, flags, dont_inherit=True,
                       optimize=options.optimize, _feature_version=feature_version)
    if options.instrumented:
        if mode not in ("exec", "eval", "single"):
            # Parsing alone would also accept 'func_type', and say so.
            raise ValueError("compile() mode must be 'exec', 'eval' or 'single'")
        if isinstance(source, ast.AST):
            # The guest's own tree: validated by the host as given (so errors read as in
            # CPython), and lowered as a copy, since compile() leaves its argument alone.
            compile(source, filename, mode, flags, dont_inherit=True,
                    _feature_version=feature_version)
            source = copy.deepcopy(source)
        else:
            source = frontend.parse(source, filename, mode, flags)
        source = lowering.lower(source, options, filename)
    code = compile(source, filename, mode, flags, dont_inherit=True,
                   optimize=options.optimize, _feature_version=feature_version)
    if finished and options.instrumented:
        code = lowering.finish(code, options)
    return code
