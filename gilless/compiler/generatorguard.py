"""The lowering pass that guards generators on hosts that crash when two threads
advance one generator at once.

Free-threaded CPython before 3.15 checks and sets a generator's state
without atomics (CPython gh-120321), so two threads calling `next()` on one
generator can both enter its frame and crash the process, where CPython
with a GIL raises `ValueError: generator already executing`. gilless
promises that concurrent access never crashes, so on those hosts (`NEEDED`)
and only there, the default mode compiles guest code with this pass: a
generator function gets the innermost decorator `__gilless_generator_function__`
and a generator expression is passed through `__gilless_generator__`, both
of which hand out the host generator behind a per-generator lock that a
second thread finds taken (`gilless.concurrency.generators`); and `yield from
x` delegates through `__gilless_yield_from__(x)`, which hands over a guarded
generator's own, its lock taken for good. No other
lowering can stand in: the race is inside the host's generator object,
before any code of the generator's own runs, and C code (`list()`, `sum()`,
a `for` loop) advances it directly. The names are the guest builtins', as
the GIL mode's switch points are, so compiled code stays cacheable.

Not guarded: generator lambdas (`lambda: (yield)`) and async generators, also
those of generator expressions; and a generator expression that is called,
subscripted or a literal's index (`(x for x in a) (1, 2)`), which raises
TypeError before anything can advance it, and which the host compiler warns
of as a missed comma by what the expression is.
"""

import os

from gilless.base import hostbuild
from gilless.compiler import hostast

# Changes whenever the inserted code changes: it keys the compile cache.
FORM = 7
FUNCTION_GUARD = "__gilless_generator_function__"
EXPRESSION_GUARD = "__gilless_generator__"
DELEGATION_GUARD = "__gilless_yield_from__"
CONSUMER_EXPRESSION_GUARD = "__gilless_generator_for__"
CONSUMED_GUARD = "__gilless_consumed_by__"

# Built-ins that advance the iterable they are given, in the calling thread, until
# they have their answer, and keep no reference to it. A generator that only such a
# call holds needs no guard: `sum(x for x in a)` and `list(gen())` pass the callee again
# (`__gilless_generator_for__((sum,), ...)`, `__gilless_consumed_by__((list,), gen())`),
# and the guard is left out where it is the built-in itself.
EAGER_CONSUMERS = ("sum", "any", "all", "min", "max", "sorted", "list", "tuple", "set",
                   "frozenset", "dict", "bytes", "bytearray")
# Built-ins that make an iterator of the iterables they are given (at these positional
# arguments; None: all), which advances them as it is advanced, in that thread, and
# shows them to nothing else: where a loop or an eager built-in alone advances that
# iterator, it alone advances them (`for i, x in enumerate(gen())`: the names of the
# chain of built-ins are passed again, the loop's marked by None,
# `__gilless_consumed_by__((None, enumerate), gen())`).
LAZY_CONSUMERS = {"enumerate": (0,), "zip": None, "map": slice(1, None), "filter": (1,)}

# The hosts with the crash: free-threaded builds before the fix (3.15).
NEEDED = hostbuild.CRASHES_ON_SHARING

# `types` names the generator type after a generator it makes: the host's.
UNGUARDED = frozenset({os.path.join(hostbuild.STDLIB, "types.py")})

# `ast` and the node types below, loaded by the first walk (`_load_ast`): a free-threaded
# host reads the names and the form above at every start-up, and compiles with the pass
# only what the cache does not hold.
ast = _SCOPES = _FUNCTION_SCOPES = _WARNED_SUBSCRIPTED = None


def _load_ast():
    global ast, _SCOPES, _FUNCTION_SCOPES, _WARNED_SUBSCRIPTED
    if ast is not None:
        return
    module = hostast.load()
    _SCOPES = (module.FunctionDef, module.AsyncFunctionDef, module.Lambda, module.ClassDef,
               module.GeneratorExp, module.ListComp, module.SetComp, module.DictComp)
    _FUNCTION_SCOPES = (module.FunctionDef, module.AsyncFunctionDef, module.Lambda,
                        module.ClassDef)
    # Literals whose subscript by a generator expression the host's compiler warns of
    # ("list indices must be integers or slices, not generator; perhaps you missed a
    # comma?"); a string, bytes or tuple constant too.
    _WARNED_SUBSCRIPTED = (module.Tuple, module.List, module.ListComp, module.JoinedStr,
                           module.FormattedValue)
    # Last: a thread that finds `ast` set finds the node types set.
    ast = module


def _is_generator(function):
    """Whether `function`'s own scope yields (not that of a function inside it)."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, _SCOPES):
            pending.extend(ast.iter_child_nodes(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # Decorators, defaults and bases belong to the enclosing scope.
            pending.extend(node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                pending.extend(node.args.defaults)
                pending.extend(default for default in node.args.kw_defaults if default)
            else:
                pending.extend(node.bases)
    return False


def _is_async(expression):
    """Whether the generator expression makes an async generator: it has an `async
    for` or awaits (its first iterable, evaluated outside it, aside)."""
    pending = [expression.elt]
    for index, comprehension in enumerate(expression.generators):
        if comprehension.is_async:
            return True
        pending.extend(comprehension.ifs)
        if index:
            pending.append(comprehension.iter)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Await) or getattr(node, "is_async", 0):
            return True
        if not isinstance(node, _FUNCTION_SCOPES):
            pending.extend(ast.iter_child_nodes(node))
    return False


def _guarded_expression(expression):
    call = ast.Call(func=ast.Name(EXPRESSION_GUARD, ast.Load()), args=[expression],
                    keywords=[])
    for node in (call, call.func):
        ast.copy_location(node, expression)
    return call


def _consumed_expression(guard, chain, expression):
    """`guard(chain, expression)`: the names of `chain` loaded again, as a tuple (which
    has no effect where they are not a class body's names)."""
    names = [ast.Constant(None) if name is None else ast.Name(name, ast.Load())
             for name in chain]
    call = ast.Call(func=ast.Name(guard, ast.Load()),
                    args=[ast.Tuple(names, ast.Load()), expression], keywords=[])
    for node in (call, call.func, call.args[0], *names):
        ast.copy_location(node, expression)
    return call


def _eager_consumer(call):
    """The name of the built-in that `call` may be, advancing its one argument alone
    (see EAGER_CONSUMERS); else None."""
    function = call.func
    if (isinstance(function, ast.Name) and function.id in EAGER_CONSUMERS
            and len(call.args) == 1 and not isinstance(call.args[0], ast.Starred)):
        return function.id
    return None


def _lazy_arguments(call):
    """The indexes of the arguments that `call` makes an iterator of, where it may be
    such a built-in (see LAZY_CONSUMERS); else ()."""
    function = call.func
    if not isinstance(function, ast.Name) or function.id not in LAZY_CONSUMERS or any(
            isinstance(argument, ast.Starred) for argument in call.args):
        return ()
    positions = LAZY_CONSUMERS[function.id]
    indexes = range(len(call.args))
    if positions is None:
        return indexes
    if isinstance(positions, slice):
        return indexes[positions]
    return [index for index in positions if index < len(call.args)]


def _joins_constant(call):
    """Whether `call` is `"...".join(x)` or `b"...".join(x)`: str's and bytes' own."""
    function = call.func
    return (isinstance(function, ast.Attribute) and function.attr == "join"
            and isinstance(function.value, ast.Constant)
            and type(function.value.value) in (str, bytes) and len(call.args) == 1)


def _guard_consumed(expression, chain, in_class_bodies):
    """What to put in the place of `expression`, which a chain of built-ins alone
    advances, in one thread (`chain`: their names, outermost first, None for a loop
    or comprehension that advances the outermost): a generator expression passed
    through `__gilless_generator_for__`, a call's value through
    `__gilless_consumed_by__`, the iterables of a lazy built-in's call in turn; None
    to leave it as it is (a loop's own, which `Generator.__iter__` hands over)."""
    if isinstance(expression, ast.GeneratorExp):
        if chain[-1] is not None and not _is_async(expression):
            return _consumed_expression(CONSUMER_EXPRESSION_GUARD, chain, expression)
        return None
    if not isinstance(expression, ast.Call) or expression in in_class_bodies:
        return None
    lazy = _lazy_arguments(expression)
    if lazy:
        inner = chain + (expression.func.id,)
        for index in lazy:
            guarded = _guard_consumed(expression.args[index], inner, in_class_bodies)
            if guarded is not None:
                expression.args[index] = guarded
        return None
    if chain[-1] is not None:
        return _consumed_expression(CONSUMED_GUARD, chain, expression)
    return None


def _consumed_roots(node):
    """The expressions in `node` that one consumer alone advances, each with its chain
    (see `_guard_consumed`): a `for` loop's iterable, a comprehension's, an eager
    built-in's one argument."""
    if isinstance(node, (ast.For, ast.comprehension)) and not getattr(node, "is_async", 0):
        return [(node, "iter", (None,))]
    if isinstance(node, ast.Call) and node.args:
        consumer = _eager_consumer(node)
        if consumer is not None:
            return [(node.args, 0, (consumer,))]
    return []


def _in_class_bodies(tree):
    """The calls whose callee a class body's namespace would look up (a class's
    `__prepare__` can make a namespace that sees each look-up): left as they are."""
    found = set()
    pending = [statement for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
               for statement in node.body]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Call):
            found.add(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                 ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))
    return found


def _left_as_written(node, field):
    """Whether the generator expression in `node`'s `field` keeps its place, unguarded,
    for the host compiler's warnings of a missed comma (which look at what the
    expression is): it is called (`(x for x in a) (1, 2)`), subscripted, or the
    index of a literal. Each raises TypeError before anything advances it."""
    if isinstance(node, ast.Call):
        return field == "func"
    if isinstance(node, ast.Subscript):
        if field == "value":
            return True
        value = node.value
        return isinstance(value, _WARNED_SUBSCRIPTED) or (
            isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes, tuple)))
    return False


class GeneratorGuard:
    """Walks the tree without recursion (see SwitchPointInserter)."""

    def visit(self, tree):
        _load_ast()
        nodes = list(ast.walk(tree))
        in_class_bodies = None
        for node in nodes:
            if isinstance(node, ast.FunctionDef) and _is_generator(node):
                decorator = ast.Name(FUNCTION_GUARD, ast.Load())
                node.decorator_list.append(ast.copy_location(decorator, node))
            for holder, place, chain in _consumed_roots(node):
                if in_class_bodies is None:
                    in_class_bodies = _in_class_bodies(tree)
                if node in in_class_bodies:
                    continue
                expression = (holder[place] if isinstance(holder, list)
                              else getattr(holder, place))
                guarded = _guard_consumed(expression, chain, in_class_bodies)
                if guarded is not None:
                    if isinstance(holder, list):
                        holder[place] = guarded
                    else:
                        setattr(holder, place, guarded)
            unguarded = None
            if isinstance(node, ast.Call) and _joins_constant(node):
                unguarded = node.args[0]
            for field, value in ast.iter_fields(node):
                if isinstance(value, ast.GeneratorExp) and not _is_async(value):
                    if not _left_as_written(node, field):
                        setattr(node, field, _guarded_expression(value))
                elif isinstance(value, list):
                    for index, item in enumerate(value):
                        if (isinstance(item, ast.GeneratorExp) and not _is_async(item)
                                and item is not unguarded):
                            value[index] = _guarded_expression(item)
        for node in nodes:
            if isinstance(node, ast.YieldFrom):
                call = ast.Call(func=ast.Name(DELEGATION_GUARD, ast.Load()), args=[node.value],
                                keywords=[])
                for made in (call, call.func):
                    ast.copy_location(made, node.value)
                node.value = call
        return tree
