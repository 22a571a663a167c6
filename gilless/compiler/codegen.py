"""Code generation: a guest tree or source becomes a host code object.

An instrumented mode compiles a lowered tree, which must be possible for any
source the host compiler accepts. gilless's own passes over the tree walk it
without recursion, but the host's conversion of a tree to code (on 3.11) and
a recursive pass count the tree's depth against the recursion limit, where
the host compiling source allows about three times the limit. A tree that
fails so is first compiled from its source by the host, whose verdict (and
error message) stands when it refuses; otherwise it is lowered again with
the limit raised for that while, under a lock that gilless's own
`sys.setrecursionlimit` takes too. Meanwhile another thread recursing
without end would get its RecursionError deeper: the price of the rare
compilation that needs it, paid by no other.
"""

import _thread
import os
import sys

from gilless.base.hostcompile import compile_source
from gilless.compiler import hostast
from gilless.compiler.options import PyCF_ONLY_AST, CompileOptions

DEFAULT_OPTIONS = CompileOptions()

# Held while the host's recursion limit is changed (here, and by the guest's sys).
recursion_limit_lock = _thread.allocate_lock()

# How much the limit is raised to lower a tree that failed at it: the host compiles
# source up to about three times the limit deep, and the passes take up to four frames
# for a level of the tree (an `elif` chain of 1,000 took 3,700 frames, which a compile
# called 300 frames deep could not have at four times the limit).
_DEEPER = 12


def compile_guest(source, filename, mode="exec", flags=0, options=DEFAULT_OPTIONS,
                  feature_version=-1, finished=True):
    """Compile guest `source` (str, bytes or an `ast` tree) to a host code object.

    `flags` are the guest's `compile()` flags (future features, PyCF_*); with
    `ast.PyCF_ONLY_AST` the (unlowered) tree is returned, as CPython does.
    With `finished` false, the code is left in the form the compile cache
    stores (see `lowering.finish`).
    """
    if flags & PyCF_ONLY_AST or not options.instrumented or _left_as_parsed(source, options):
        if isinstance(source, str) and feature_version == -1:
            # Without building the host's `ast` classes, as its C code compiles.
            try:
                return compile_source(source, filename, mode, flags, options.optimize)
            except ValueError:
                # What compile() looks at further, and says what is wrong with.
                pass
        return compile(source, filename, mode, flags, dont_inherit=True,
                       optimize=options.optimize, _feature_version=feature_version)
    # The lowering passes work on `ast` trees: only instrumented compilations load it, at
    # their first compilation the cache did not answer (with the host's own `re`, `enum`
    # and `contextlib`, though guest code has run by then: see gilless.compiler.hostast).
    ast = hostast.load()
    from gilless.compiler import lowering
    if mode not in ("exec", "eval", "single"):
        # Parsing alone would also accept 'func_type', and say so.
        raise ValueError("compile() mode must be 'exec', 'eval' or 'single'")
    if isinstance(source, ast.AST):
        # The guest's own tree: validated by the host as given (so errors read as in
        # CPython), and lowered as a copy, since compile() leaves its argument alone.
        compile(source, filename, mode, flags, dont_inherit=True,
                _feature_version=feature_version)
    arguments = (source, filename, mode, flags, options, feature_version)
    try:
        code = _compile_lowered(*arguments)
    except RecursionError:
        if not isinstance(source, ast.AST):
            compile(source, filename, mode, flags, dont_inherit=True,
                    optimize=options.optimize, _feature_version=feature_version)
        with recursion_limit_lock:
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(limit * _DEEPER)
            try:
                code = _compile_lowered(*arguments)
            finally:
                sys.setrecursionlimit(limit)
    if finished:
        code = lowering.finish(code, options)
        if options.accesses:
            _remember(code, (source if not isinstance(source, ast.AST) else copy_tree(source),
                             filename, mode, flags, options.optimize, feature_version))
    return code


# Code that an instrumented mode compiled (holding the event runtime among its
# constants, which marshal cannot write) -> what compiled it (see plain_code): a
# weak-keyed table, made by the first such compilation.
_compiled = None
_compiled_lock = _thread.allocate_lock()


def _remember(code, how):
    global _compiled
    with _compiled_lock:
        if _compiled is None:
            import weakref
            _compiled = weakref.WeakKeyDictionary()
        _compiled[code] = how


def plain_code(code):
    """`code`, which an instrumented mode compiled, compiled again from its source as
    the host compiles it; None if it was not compiled from source here."""
    if _compiled is None:
        return None
    with _compiled_lock:
        how = _compiled.get(code)
    if how is None:
        return None
    source, filename, mode, flags, optimize, feature_version = how
    return compile(source, filename, mode, flags, dont_inherit=True, optimize=optimize,
                   _feature_version=feature_version)


def plain_equivalent(code):
    """`code`, which an instrumented mode compiled, or the code of a function or class
    inside such code, as the host compiles the same source; None where that source is
    not known (neither a `compile()` call's here nor a file's that still holds it)."""
    plain = plain_code(code)
    if plain is not None:
        return plain
    filename = code.co_filename
    tops = []
    if _compiled is not None:
        with _compiled_lock:
            tops = [top for top, how in _compiled.items() if how[1] == filename]
    for top in tops:
        # (Compiled again only for the `compile()` call whose code holds it.)
        if any(inner is code for inner in _codes_in(top)):
            return _code_within(plain_code(top), code)
    return _code_within(_plain_file(filename), code)


def _codes_in(top):
    """`top` and the code objects among its constants, at any depth."""
    pending = [top]
    while pending:
        candidate = pending.pop()
        yield candidate
        pending.extend(constant for constant in candidate.co_consts
                       if type(constant) is type(candidate))


def _code_within(top, code):
    """The code object in `top` (see `_codes_in`) that has `code`'s name, qualified name
    and first line; None if there is none (or no `top`)."""
    if top is None:
        return None
    for candidate in _codes_in(top):
        if (candidate.co_firstlineno == code.co_firstlineno
                and candidate.co_qualname == code.co_qualname
                and candidate.co_name == code.co_name):
            return candidate
    return None


# File name -> (its size and modification time, its code as the host compiles it).
_plain_files = {}


def _plain_file(filename):
    """The module code of source file `filename` as the host compiles it (cached while
    the file is unchanged); None if it cannot be read or compiled."""
    try:
        status = os.stat(filename)
        stamp = (status.st_size, status.st_mtime_ns)
        kept = _plain_files.get(filename)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        with open(filename, "rb") as file:
            source = file.read()
        plain = compile(source, filename, "exec", dont_inherit=True)
    except (OSError, SyntaxError, ValueError):
        return None
    _plain_files[filename] = (stamp, plain)
    return plain


def _left_as_parsed(source, options):
    """Whether the lowering passes would leave the tree of `source` as the parser makes
    it: the generator guard is the only pass (the default mode of a free-threaded
    3.13 host), and the source cannot hold a generator, having neither `yield` nor
    `for` (of a generator expression). Then the host compiles the source itself, and
    `ast` is not loaded: most `exec` and `-c` code, and `site`'s `.pth` lines (where a
    call such as `list(g())` keeps the generator behind its guard, which the pass
    would hand the built-in unguarded). Bytes that declare no encoding are UTF-8,
    where each of those words has one spelling."""
    if options.gil or options.accesses:
        return False
    if isinstance(source, str):
        return "yield" not in source and "for" not in source
    if isinstance(source, bytes) and b"coding" not in source:
        return b"yield" not in source and b"for" not in source
    return False


def _compile_lowered(source, filename, mode, flags, options, feature_version):
    import ast
    from gilless.compiler import frontend, lowering
    if isinstance(source, ast.AST):
        tree = copy_tree(source)
    else:
        tree = frontend.parse(source, filename, mode, flags)
    tree = lowering.lower(tree, options, filename)
    return compile(tree, filename, mode, flags, dont_inherit=True,
                   optimize=options.optimize, _feature_version=feature_version)


def copy_tree(tree):
    """A copy of an `ast` tree, made without recursion (`copy.deepcopy` recurses)."""
    import ast

    def copied(value):
        if isinstance(value, ast.AST):
            new = type(value).__new__(type(value))
            pending.append((value, new))
            return new
        if isinstance(value, list):
            return [copied(item) for item in value]
        return value

    pending = []
    root = copied(tree)
    while pending:
        node, new = pending.pop()
        for name in node._fields + node._attributes:
            try:
                value = getattr(node, name)
            except AttributeError:
                continue
            setattr(new, name, copied(value))
    return root
