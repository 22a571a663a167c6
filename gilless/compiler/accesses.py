"""The lowering pass of the instrumented modes: guest accesses to shared state become events.

Every access that can touch state another thread sees is reported to the
event runtime (`gilless.instrument.events`), which tells whichever tool is
listening (the race detector, the schedule explorer). Accesses that cannot
be shared are left as the host compiles them: local variables, and the names
of a module that no function declares `global` (functions, classes, imports
and constants, which nothing rebinds while threads run).

Where the object is a variable of the function's own frame (`self.x`,
`p[i]`) and the key a constant or such a variable, naming them again costs
nothing and changes nothing: the host's own bytecode makes the access and an
event reports it just after (the most frequent case, and the cheapest):

    x.a             events.ra(x.a, x, 'a')         (the name mangled as the compiler would)
    x.a = v         x.a = v; events.wa(x, 'a')
    x[k]            events.ri(x[k], x, k)
    x[k] = v        x[k] = v; events.wi(x, k)
    k in x          events.contained(k in x, k, x)
    x.a += v        x.a += (events.ra(None, x, 'a') or v); events.wa(x, 'a')
                    (the read's event between the host's read and `v`, in CPython's order)
    x.a += v        x.a += v; events.rwa(x, 'a')   (for the race detector, when `v`
    x[k] += v       x[k] += v; events.rwi(x, k)     is constants and variables in
                                                    arithmetic: the read and the write
                                                    in one event)
    x.a = v         x.a = v; x.b = w                (for the race detector, a run of
    x.b = w         events.wa_run(x, ('a', 'b'),    stores into attributes of variables,
                                  (line, line))     of values as above: one event for
                                                    each variable, after the run's last;
                                                    also wa_run(..., True) for `x.a += v`
                                                    and rwi_run for `x[0] += v`, constant
                                                    keys)
    a = y.a         events.ra_run(y, ('a', 'b'),    (the run's values may read attributes
    x.b = y.b * a                 (line, line))     of variables, and it may assign local
                    a = y.a; x.b = y.b * a          variables: one event before the run
                    events.wa_run(x, ('b',),        for the reads of each variable; its
                                  (line,))          first value may call, and then the
                                                    reads' events follow that statement)
    x.a * y.b + x.c (events.ra_run(x, ('a', 'c'),   (for the race detector, arithmetic
                                   (line, line))    over such attributes, or a call of
                    or events.ra_run(y, ('b',),     a name with such arguments: one
                                     (line,))       event for each object, before; a read
                    or x.a * y.b + x.c)             under `and`, `or` or `if` is its own
                                                    event, where it is made, unless read
                                                    unconditionally too)

Where the object is another expression (and the key a constant or such a
variable), the event comes first and returns the object, whose access the host's
bytecode then makes: a getter, setter or `__getitem__` that it runs is called from
the guest's frame, as in CPython (see the event runtime's "Before the access"):

    e.a             events.ra_on(e, 'a').a
    e.a = v         events.wa_on(e, 'a').a = v     (v first: CPython's evaluation order)
    e[k]            events.ri_on(e, k)[k]
    e[k] = v        events.wi_on(e, k)[k] = v
    k in e          k in events.in_on(k, e)

Elsewhere the event function makes the access itself, as the host would:

    e[f(k)]         events.rd_item(e, f(k))
    e[f(k)] = v     events.wr_item(v, e, f(k))
    x.a += v, del x.a, a, x.b = ...
                    the target becomes events.attr_ref(x, 'a')[None] (or item_ref), a
                    proxy whose item get, set and delete do the access: augmented
                    assignment reads then writes, in CPython's order
    f(k) in e       events.contains(f(k), e)
    for v in c      for v in events.iter_source(c)  (a read of the container's structure)
    c.append(v)     events.method(c, 'append')(v)  (the container methods by name)
    g (global)      events.rd_global(g, 'g'); a store is followed by events.wr_global('g')
    c (closure)     events.rd_cell(c, lambda: c, 'c', where); a store is followed by
                    events.wr_cell(lambda: c, 'c', where)
    return v        return events.published(v), in a function decorated with a cache
                    (`lru_cache`, `cache`, named or called), which hands what it
                    returns to whichever thread calls it next with the same arguments

Globals are instrumented for the names some function of the module declares
`global`, and closure variables for those some inner function declares
`nonlocal`: only those can change while another thread reads them. For the race
detector, a list, dict or set that a function makes and keeps in its frame (see
`private_containers`) makes no event either: no other thread can reach it.

In the standard library's modules, module state is the module's own
synchronisation, not data (its lazily made globals and its caches are filled
by whichever thread comes first, correctly under CPython's memory model):

    g (global)      events.module_acquired(g); a store `g = v` becomes
                    `g = events.module_released(v)` (other stores are followed by
                    events.module_released(None))
    c[k]            events.module_acquired(c[k]), where c is a module-level name (or
                    an attribute the module keeps a cache in: lowering's list)
    C.a, C.a = v    events.module_acquired(C.a), C.a = events.module_released(v),
                    where C is one of the module's own classes, named
    c[k] = v        c[k] = events.module_released(v)   (also `c[k] += v`)
    c.m(a, b)       events.module_acquired(c.m(a, events.module_released(b)))
    k in c          events.module_acquired(k in c)
    for v in c      for v in events.module_acquired(c)

so that what a thread stores there is published to the threads that read it
(a module's lock-free lazy initialisation and caches), and no access races. A method
call `x.m(...)` is not a read of attribute `m` unless `m` is a container
method (then it is the container operation's event), so ordinary method calls
keep the host's fast path.

The runtime's functions are reached through placeholder constants (`EVENTS`
and the function's name) rather than names: compiled code stays
marshallable for the compile cache, and `finish` swaps each placeholder for
the runtime's function of that name in the code objects, so no name is added
to the guest's builtins, code run with restricted `__builtins__` still
works, and an event costs no lookup before its call (on free-threaded 3.13,
whose interpreter does not specialise, looking a function up in the module
was a dictionary lookup at every event). Line numbers are those of the node
replaced; the guest's own expressions inside keep theirs.
"""

import ast
import copy
import operator
import types

# Changes whenever the emitted code changes: it keys the compile cache.
FORM = 29
# The placeholders' prefix: a placeholder is EVENTS followed by the function's name.
EVENTS = "\x00gilless.instrument.events\x00"

# Methods of the built-in containers whose calls are container events (the
# runtime looks at the receiver's type; on other objects they are plain calls).
CONTAINER_METHODS = frozenset({
    "append", "appendleft", "extend", "extendleft", "insert", "pop", "popleft", "popitem",
    "remove", "discard", "clear", "sort", "reverse", "rotate", "add", "update",
    "setdefault", "get", "keys", "values", "items", "difference_update",
    "intersection_update", "symmetric_difference_update",
    # What the syntax calls, called by name by a subclass's own methods (`super().__setitem__`).
    "__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__",
})


# The decorators that keep what a function returns for later calls (`functools`'),
# named (`@cache`, `@functools.lru_cache`) or called (`@lru_cache(maxsize=32)`).
_CACHES = frozenset({"lru_cache", "cache"})


def _caches(decorator):
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    return (isinstance(decorator, ast.Name) and decorator.id in _CACHES
            or isinstance(decorator, ast.Attribute) and decorator.attr in _CACHES)


# A deque's or list's takes, which order what the thread that put the item did before
# (see gilless.race.detector.received).
_TAKES = frozenset({"pop", "popleft"})


def _event(name, args, node):
    # (The placeholder inside a conditional that the compiler folds to the constant
    # alone: a call of a constant itself draws its "'str' object is not callable"
    # warning.)
    function = ast.IfExp(test=ast.Constant(True), body=ast.Constant(EVENTS + name),
                         orelse=ast.Constant(None))
    call = ast.Call(func=function, args=args, keywords=[])
    return _located(call, node)


def _located(new, node):
    """`new` with `node`'s position given to the nodes made here (the guest's own nodes
    inside keep theirs, so that tracebacks point where the host's would)."""
    for child in ast.walk(new):
        if not hasattr(child, "lineno"):
            ast.copy_location(child, node)
    return new


def _mangle(name, class_name):
    """The compiler's private-name mangling of attribute `name` inside class `class_name`."""
    if class_name is None or not name.startswith("__") or name.endswith("__") or "." in name:
        return name
    stripped = class_name.lstrip("_")
    if not stripped:
        return name
    return f"_{stripped}{name}"


# What an expression may hold and still call nothing but its operators (see
# AccessInstrumenter._reads): not `in`, a container's read; displays of new containers
# (a set's or a dict's keys are hashed, as an operator would), but not unpacked ones.
_ARITHMETIC = (ast.Constant, ast.Name, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
               ast.IfExp, ast.operator, ast.unaryop, ast.boolop, ast.Eq, ast.NotEq, ast.Lt,
               ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.expr_context, ast.List,
               ast.Tuple, ast.Set, ast.Dict)


# -- scopes -------------------------------------------------------------------

class _Scope:
    __slots__ = ("kind", "parent", "name", "qualname", "bound", "bound_otherwise",
                 "globals", "nonlocals", "written_cells")

    def __init__(self, kind, parent, name):
        self.kind = kind          # "module", "function", "class", "comprehension"
        self.parent = parent
        self.name = name
        self.bound = set()        # names local to this scope (parameters included)
        # those of them bound other than by storing into the name (parameters, imports,
        # `def`, `class`, `except ... as`, patterns)
        self.bound_otherwise = set()
        self.globals = set()      # names declared global here
        self.nonlocals = set()    # names declared nonlocal here
        self.written_cells = {}   # local name -> qualname of an inner function writing it
        if parent is None or kind == "comprehension":
            self.qualname = name if parent is None else parent.qualname
        elif parent.kind == "function":
            self.qualname = f"{parent.qualname}.<locals>.{name}"
        elif parent.kind == "class":
            self.qualname = f"{parent.qualname}.{name}"
        else:
            self.qualname = name

    def resolve(self, name):
        """('global', None), ('local', self), ('cell', owner scope) for a name used here."""
        if self.kind == "module":
            return "global", None
        if name in self.globals:
            return "global", None
        if name in self.bound and name not in self.nonlocals:
            return "local", self
        # Free: the nearest enclosing function (or comprehension) binding it; classes
        # do not count, as in the compiler.
        scope = self.parent
        while scope is not None and scope.kind != "module":
            if scope.kind != "class" and name in scope.bound and name not in scope.globals \
                    and name not in scope.nonlocals:
                return "cell", scope
            if scope.kind != "class" and name in scope.globals:
                return "global", None
            scope = scope.parent
        return "global", None


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class _ScopeBuilder(ast.NodeVisitor):
    """Finds every scope of a module, what each binds and declares, and which closure
    variables inner functions write (`nonlocal`)."""

    def __init__(self):
        self.scopes = {}
        self.declared_globals = set()
        self.current = None

    def build(self, tree):
        self.current = _Scope("module", None, "<module>")
        self.scopes[id(tree)] = self.current
        self.generic_visit(tree)
        for scope in self.scopes.values():
            for name in scope.nonlocals:
                kind, owner = scope.parent.resolve(name) if scope.parent else ("global", None)
                if owner is not None and name in owner.bound:
                    owner.written_cells.setdefault(name, scope.qualname)
        return self

    def _enter(self, node, kind, name):
        scope = _Scope(kind, self.current, name)
        self.scopes[id(node)] = scope
        return scope

    def _bind(self, name, store=False):
        self.current.bound.add(name)
        if not store:
            self.current.bound_otherwise.add(name)

    def visit_FunctionDef(self, node):
        self._bind(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_arguments_defaults(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self._visit_function_body(node, node.name, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self._visit_arguments_defaults(node.args)
        self._visit_function_body(node, "<lambda>", [node.body])

    def _visit_arguments_defaults(self, arguments):
        for default in arguments.defaults + [d for d in arguments.kw_defaults if d]:
            self.visit(default)
        for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs + \
                [a for a in (arguments.vararg, arguments.kwarg) if a]:
            if arg.annotation is not None:
                self.visit(arg.annotation)

    def _visit_function_body(self, node, name, body):
        outer = self.current
        self.current = self._enter(node, "function", name)
        arguments = node.args
        for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs + \
                [a for a in (arguments.vararg, arguments.kwarg) if a]:
            self._bind(arg.arg)
        for statement in body:
            self.visit(statement)
        self.current = outer

    def visit_ClassDef(self, node):
        self._bind(node.name)
        for child in node.bases + node.keywords + node.decorator_list:
            self.visit(child)
        outer = self.current
        self.current = self._enter(node, "class", node.name)
        for statement in node.body:
            self.visit(statement)
        self.current = outer

    def _visit_comprehension(self, node):
        # The first iterable is evaluated in the enclosing scope.
        self.visit(node.generators[0].iter)
        outer = self.current
        self.current = self._enter(node, "comprehension", outer.name)
        for index, generator in enumerate(node.generators):
            self.visit(generator.target)
            if index:
                self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for field in ("elt", "key", "value"):
            if hasattr(node, field):
                self.visit(getattr(node, field))
        self.current = outer

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def visit_NamedExpr(self, node):
        # Binds in the nearest enclosing non-comprehension scope.
        scope = self.current
        while scope.kind == "comprehension":
            scope = scope.parent
        scope.bound.add(node.target.id)
        self.visit(node.value)

    def visit_Global(self, node):
        self.current.globals.update(node.names)
        self.declared_globals.update(node.names)

    def visit_Nonlocal(self, node):
        self.current.nonlocals.update(node.names)

    def visit_Name(self, node):
        if not isinstance(node.ctx, ast.Load):
            self._bind(node.id, store=True)

    def visit_alias(self, node):
        if node.name != "*":
            self._bind(node.asname or node.name.partition(".")[0])

    def visit_ExceptHandler(self, node):
        if node.name:
            self._bind(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node):
        if node.name:
            self._bind(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node):
        if node.name:
            self._bind(node.name)

    def visit_MatchMapping(self, node):
        if node.rest:
            self._bind(node.rest)
        self.generic_visit(node)


# -- containers only one frame sees ---------------------------------------------

# The methods of a built-in container whose call, or whose bound method kept in a local
# variable and called, leaves the container where it was (none stores it elsewhere).
_PRIVATE_METHODS = CONTAINER_METHODS | {"copy", "index", "count"}
# The built-in names whose call makes a new container.
_NEW_CONTAINERS = frozenset({"list", "dict", "set"})
# A function that names these may hand its frame's variables to anyone.
_FRAME_READERS = frozenset({"locals", "vars", "eval", "exec"})


class _Uses(ast.NodeVisitor):
    """How a function's own code uses each of its variables (see `private_containers`):
    for each name, its stores and its uses, each of a kind. (The bindings that are no
    store into the name are the scope's `bound_otherwise`.)"""

    def __init__(self):
        self.bindings = {}    # name -> [("new", source name or None) | ("alias", name)
                              #          | ("update", None) | ("other", None)]
        self.uses = {}        # name -> ["item" | "call" | ("alias", name)
                              #          | ("builtin", name) | "other"]
        self.nested = set()   # names that a nested function, class or comprehension names
        self.reads_frame = False
        self.generator = False
        self.parents = []

    def function(self, node):
        for statement in node.body:
            self.visit(statement)
        return self

    def _bind(self, name, kind, source=None):
        self.bindings.setdefault(name, []).append((kind, source))

    def _use(self, name, kind):
        self.uses.setdefault(name, []).append(kind)

    def visit(self, node):
        self.parents.append(node)
        try:
            super().visit(node)
        finally:
            self.parents.pop()

    def _parent(self, level=1):
        # (parents[-1] is the node being visited.)
        return self.parents[-1 - level] if len(self.parents) > level else None

    def visit_Name(self, node):
        parent = self._parent()
        if isinstance(node.ctx, ast.Store):
            if isinstance(parent, ast.Assign) and parent.targets == [node]:
                self._bind(node.id, *self._value(parent.value))
            elif isinstance(parent, ast.AugAssign) and parent.target is node:
                self._bind(node.id, "update")
            else:
                self._bind(node.id, "other")
            return
        if isinstance(node.ctx, ast.Del):
            return
        if node.id in _FRAME_READERS:
            self.reads_frame = True
        self._use(node.id, self._load(node, parent))

    def _load(self, node, parent):
        """The kind of the read of the variable `node` whose parent is `parent`."""
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return "item"
        if isinstance(parent, ast.Attribute) and parent.value is node \
                and parent.attr in _PRIVATE_METHODS:
            grandparent = self._parent(2)
            if isinstance(grandparent, ast.Call) and grandparent.func is parent:
                return "item"
            if isinstance(grandparent, ast.Assign) and grandparent.value is parent \
                    and len(grandparent.targets) == 1 \
                    and isinstance(grandparent.targets[0], ast.Name):
                return ("alias", grandparent.targets[0].id)
            return "other"
        if isinstance(parent, ast.For) and parent.iter is node:
            return "item"
        if isinstance(parent, ast.comprehension) and parent.iter is node \
                and not isinstance(self._parent(2), ast.GeneratorExp):
            return "item"  # (the first iterable, the one evaluated here)
        if isinstance(parent, ast.Compare) and len(parent.ops) == 1 \
                and isinstance(parent.ops[0], (ast.In, ast.NotIn)) \
                and parent.comparators[0] is node:
            return "item"
        if isinstance(parent, ast.Call) and parent.func is node:
            return "call"
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) \
                and parent.func.id == "len" and parent.args == [node] \
                and not parent.keywords:
            return ("builtin", "len")
        return "other"

    @staticmethod
    def _value(value):
        """The kind of a binding to `value`, and the name it depends on."""
        if isinstance(value, (ast.List, ast.Set, ast.Dict, ast.ListComp, ast.SetComp,
                              ast.DictComp)):
            return "new", None
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and value.func.id in _NEW_CONTAINERS:
            return "new", ("builtin", value.func.id)
        if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice) \
                and isinstance(value.value, ast.Name):
            return "new", value.value.id  # (a slice of a list is a new list)
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) \
                and value.attr in _PRIVATE_METHODS:
            return "alias", value.value.id
        return "other", None

    def _generator(self, node):
        self.generator = True
        self.generic_visit(node)

    visit_Yield = visit_YieldFrom = visit_Await = _generator

    def _nested(self, node, here, inside):
        """A nested scope: its parts `here` are evaluated in the function, the others
        name variables of a frame that may run elsewhere."""
        for part in here:
            self.visit(part)
        for part in inside:
            for child in ast.walk(part):
                if isinstance(child, ast.Name):
                    self.nested.add(child.id)

    def visit_FunctionDef(self, node):
        arguments = node.args
        here = getattr(node, "decorator_list", []) + arguments.defaults + \
            [default for default in arguments.kw_defaults if default is not None]
        inside = node.body if isinstance(node.body, list) else [node.body]
        # (Annotations and type parameters are evaluated later, or not at all.)
        self._nested(node, here, inside + [arguments] + getattr(node, "type_params", []) +
                     ([node.returns] if getattr(node, "returns", None) else []))

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._nested(node, node.bases + node.keywords + node.decorator_list,
                     node.body + getattr(node, "type_params", []))

    def _comprehension(self, node):
        first = node.generators[0]
        # (The first iterable's parent, as _load sees it, is its comprehension.)
        self.parents.append(node)
        self.parents.append(first)
        try:
            self.visit(first.iter)
        finally:
            del self.parents[-2:]
        inside = [first.target] + first.ifs + node.generators[1:] + \
            [getattr(node, field) for field in ("elt", "key", "value") if hasattr(node, field)]
        self._nested(node, [], inside)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension


def private_containers(function, scope, builtin):
    """The variables of `function` (a def) that only ever hold containers it made itself
    and that never leave its frame, so that no other thread can reach them: accesses to
    their items need no event (as Go's race detector leaves a function's variables that
    do not escape uninstrumented). A variable is such a container when each of its
    bindings is a plain assignment of a new list, dict or set (a display, a
    comprehension, `list(...)`, `dict(...)`, `set(...)`, or a slice of another such
    container), or an augmented assignment; when each of its uses is an item access,
    a slice, iteration by a `for` loop or a list, set or dict comprehension, `in`,
    `len()`, or a call of one of the container's methods (`c.append(x)`, or through a
    local variable that holds the bound method and is only called: `push = c.append`);
    and when no nested function, class or comprehension names it. Not in a generator
    or coroutine (whose frame may be resumed by any thread), nor in a function that
    names `locals`, `vars`, `eval` or `exec`. `scope`: the function's (see
    `_ScopeBuilder`); `builtin(name)`: whether `name` in `function` is the built-in of
    that name (no module or local binding hides it)."""
    if isinstance(function, ast.AsyncFunctionDef):
        return frozenset()
    uses = _Uses().function(function)
    if uses.generator or uses.reads_frame:
        return frozenset()
    bindings = uses.bindings
    # (Parameters, imports, nested definitions, declarations: never such a container.)
    otherwise = scope.bound_otherwise | scope.globals | scope.nonlocals | uses.nested

    def plain(name, allowed):
        return name not in otherwise and all(
            kind in allowed for kind, _ in bindings.get(name, [("other", None)]))

    containers = {name for name in bindings
                  if plain(name, ("new", "update"))
                  and any(kind == "new" for kind, _ in bindings[name])}
    aliases = {name for name in bindings if plain(name, ("alias",))}
    changed = True
    while changed:
        changed = False
        for name in list(containers):
            sources = [source for kind, source in bindings[name] if kind == "new" and source]
            kept = all(builtin(source[1]) if isinstance(source, tuple) else source in containers
                       for source in sources) and all(
                use == "item" or isinstance(use, tuple) and (
                    use[0] == "alias" and use[1] in aliases or
                    use[0] == "builtin" and builtin(use[1]))
                for use in uses.uses.get(name, ()))
            if not kept:
                containers.discard(name)
                changed = True
        for name in list(aliases):
            if not (all(source in containers for _, source in bindings[name])
                    and all(use == "call" for use in uses.uses.get(name, ()))):
                aliases.discard(name)
                changed = True
    return frozenset(containers)


# -- the pass -------------------------------------------------------------------

class _Part:
    """A statement of a run (see AccessInstrumenter._run): its attribute reads, its
    write ((event, variable, update), key) or None, the local variables it assigns,
    and whether its value may call (then its reads are its value's own events)."""
    __slots__ = ("statement", "reads", "write", "assigned", "calls")

    def __init__(self, statement, reads, write, assigned, calls):
        self.statement = statement
        self.reads = reads
        self.write = write
        self.assigned = assigned
        self.calls = calls


class _Replacer(ast.NodeTransformer):
    """Replaces the nodes whose ids `replaced` maps with what it maps them to."""

    def __init__(self, replaced):
        self.replaced = replaced

    def visit(self, node):
        new = self.replaced.get(id(node))
        return new if new is not None else super().visit(node)


class AccessInstrumenter(ast.NodeTransformer):
    def __init__(self, stdlib=False, caches=frozenset(), fused_updates=False):
        self.scopes = None
        self.scope = None
        self.class_names = []
        # A module of the standard library: its module state is synchronisation, and
        # so are the containers it keeps in attributes named in `caches`.
        self.stdlib = stdlib
        self.caches = caches
        # Whether an augmented assignment of plain arithmetic to a simple target is one
        # event after its store (see visit_AugAssign), and a run of such statements into
        # one variable's attributes or items too (`_run`): for the race
        # detector, not for the schedule explorer, whose every event is a point where it
        # may switch threads (a lost update happens between the read and the write).
        self.fused_updates = fused_updates
        # The current function's containers that no other frame sees (for the race
        # detector: see `private_containers`).
        self.private = frozenset()
        # Whether the current function's results are kept by a cache (`_caches`).
        self.cached = False

    def visit(self, node):
        if self.scopes is None:
            builder = _ScopeBuilder().build(node)
            self.scopes = builder.scopes
            self.declared_globals = builder.declared_globals
            self.scope = self.scopes[id(node)]
            self.module_scope = self.scope
            self.star_import = any(isinstance(child, ast.ImportFrom) and
                                   any(alias.name == "*" for alias in child.names)
                                   for child in ast.walk(node))
            # The module's own classes (defined at its top level), whose class-level
            # attributes are a standard-library module's state.
            body = node.body if isinstance(node, (ast.Module, ast.Interactive)) else ()
            self.module_classes = {statement.name for statement in body
                                   if isinstance(statement, ast.ClassDef)}
        return super().visit(node)

    # -- scopes while rewriting --

    def _in_scope(self, node, visit, cached=False):
        outer, outer_private, outer_cached = self.scope, self.private, self.cached
        self.scope = self.scopes.get(id(node), outer)
        self.private = private_containers(node, self.scope, self._builtin) \
            if self.fused_updates and isinstance(node, ast.FunctionDef) else frozenset()
        self.cached = cached
        try:
            return visit(node)
        finally:
            self.scope, self.private, self.cached = outer, outer_private, outer_cached

    def _builtin(self, name):
        """Whether `name`, here, is the built-in of that name."""
        return (self.scope.resolve(name)[0] == "global" and not self.star_import
                and name not in self.module_scope.bound and name not in self.declared_globals)

    def _private(self, node):
        """Whether `node` names a container that only this frame sees (see
        `private_containers`), whose accesses are no events."""
        return isinstance(node, ast.Name) and node.id in self.private

    def visit_FunctionDef(self, node):
        cached = isinstance(node, ast.FunctionDef) and any(map(_caches, node.decorator_list))
        # Decorators, defaults and annotations belong to the enclosing scope; rewriting
        # them there first keeps them out of the function's.
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args = self._visit_defaults(node.args)
        # Annotations stay as written: under `from __future__ import annotations` the
        # compiler turns their tree back into the text that typing and dataclasses read.
        return self._in_scope(node, self._visit_body, cached)

    def visit_Return(self, node):
        self.generic_visit(node)
        if self.cached and node.value is not None:
            node.value = _event("published", [node.value], node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def _visit_defaults(self, arguments):
        arguments.defaults = [self.visit(d) for d in arguments.defaults]
        arguments.kw_defaults = [self.visit(d) if d is not None else None
                                 for d in arguments.kw_defaults]
        return arguments

    def _visit_body(self, node):
        node.body = self._statements(node.body)
        return node

    def visit_Lambda(self, node):
        node.args = self._visit_defaults(node.args)

        def body(lambda_node):
            lambda_node.body = self.visit(lambda_node.body)
            return lambda_node
        return self._in_scope(node, body)

    def visit_ClassDef(self, node):
        node.bases = [self.visit(b) for b in node.bases]
        node.keywords = [self.visit(k) for k in node.keywords]
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        self.class_names.append(node.name)
        try:
            return self._in_scope(node, self._visit_body)
        finally:
            self.class_names.pop()

    def _visit_comprehension(self, node):
        first = node.generators[0]
        first.iter = self._iter_source(self.visit(first.iter), first.iter)

        def inner(comprehension):
            for index, generator in enumerate(comprehension.generators):
                generator.target = self.visit(generator.target)
                if index:
                    generator.iter = self._iter_source(self.visit(generator.iter),
                                                       generator.iter)
                generator.ifs = [self.visit(condition) for condition in generator.ifs]
            for field in ("elt", "key", "value"):
                if hasattr(comprehension, field):
                    setattr(comprehension, field, self.visit(getattr(comprehension, field)))
            return comprehension
        return self._in_scope(node, inner)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def visit_Module(self, node):
        node.body = self._statements(node.body)
        return node

    def visit_Interactive(self, node):
        node.body = self._statements(node.body)
        return node

    def _statements(self, statements):
        result = []
        run = []
        for statement in statements:
            part = self._run_part(statement)
            if run and (part is None or not self._joins(run, part)):
                result.extend(self._run(run))
                run = []
            if part is None:
                # (A run may begin with a store of a value that calls: see `_run`.)
                part = self._run_part(statement, calls=True)
            if part is None:
                self._append(result, self.visit(statement))
            else:
                run.append(part)
        result.extend(self._run(run))
        return result

    @staticmethod
    def _append(statements, rewritten):
        if isinstance(rewritten, list):
            statements.extend(rewritten)
        elif rewritten is not None:
            statements.append(rewritten)

    def _run_part(self, statement, calls=False):
        """`statement` as a part of a run (see `_run`), or None: for the race detector,
        `v = e`, `v op= e`, `x.a = e`, `x.a = v = e`, `x.a op= e` and `x[c] op= e` (`c` a
        constant key), where `v` is a local variable, `x` a simple variable and `e` plain
        arithmetic over simple variables and their attributes (see `_reads`); with
        `calls`, an assignment whose value `e` is any expression that rebinds no
        variable (a run's first statement)."""
        if not self.fused_updates:
            return None
        if isinstance(statement, ast.Assign):
            targets, event, update = statement.targets, "wa_run", False
        elif isinstance(statement, ast.AugAssign) and not calls:
            # (An augmented assignment reads its target before its value calls: not the
            # first of a run whose writes are reported after it.)
            targets = [statement.target]
            event, update = ("wa_run", True) if isinstance(statement.target, ast.Attribute) \
                else ("rwi_run", False)
        else:
            return None
        if calls:
            reads = []
            if any(isinstance(node, ast.NamedExpr) for node in ast.walk(statement.value)):
                return None
        else:
            reads = self._reads(statement.value)
            if reads is None:
                return None
        assigned = []
        write = None
        for target in targets:
            if isinstance(target, ast.Name):
                if not (self.scope.kind == "function" and self._simple(target)
                        and self.scope.resolve(target.id)[0] == "local"):
                    return None
                assigned.append(target.id)
                continue
            if self._private_item(target):
                # (No write event; its key's reads are reported with the others.)
                if self._reads(target, reads=reads) is None:
                    return None
                continue
            if isinstance(target, ast.Subscript):
                key = target.slice
                if not (event == "rwi_run" and isinstance(key, ast.Constant)
                        and (type(key.value) is int and key.value >= 0
                             or type(key.value) is str)):
                    return None
                key = key.value
            elif isinstance(target, ast.Attribute):
                key = self._attribute_name(target)
            else:
                return None
            if write is not None or not (isinstance(target.value, ast.Name)
                                         and self._simple_target(target)
                                         and not self._state_target(target)):
                return None
            write = ((event, target.value.id, update), key)
        if write is not None and write[0][1] in assigned:
            return None  # (`x.a = x = e`: the write's event would name the new `x`)
        return _Part(statement, reads, write, tuple(assigned), calls)

    @staticmethod
    def _joins(run, part):
        """Whether `part` can follow the parts of `run` in one run: the variables whose
        attributes it reads hold what they held where the run's reads are reported (before
        the run, or after its first statement if that one calls), and no variable whose
        attributes the run stores into is rebound (its writes are reported after the
        run)."""
        assigned = {name for earlier in run if not earlier.calls for name in earlier.assigned}
        if any(variable in assigned for variable, _, _, _, _ in part.reads):
            return False
        return all(earlier.write is None or earlier.write[0][1] not in part.assigned
                   for earlier in run)

    def _run(self, run):
        """The statements of `run`, whose values call nothing (`x = self.x; y = self.y`,
        `self.x = x; self.y = y`, `v[0] -= dx * m; v[1] -= dy * m`) but the first's, which
        may (`self.x = f(); self.y = 0`): one event before them (after the first, if it
        calls) for the attributes of each variable that they read, and one after them for
        the attributes (or items) of each variable that they store into or update; no
        synchronisation comes between an access and its report (a setter,
        `__setattr__` or operator of the program's own aside; and a store that raises
        leaves the run's earlier writes unreported, and reports its later reads). A read
        under a condition (`and`, `or`, a conditional expression, a chained comparison)
        has its own event, where it is made, unless the run reads the same attribute of
        the same variable unconditionally. Statements that one event each reports as
        cheaply are left to be reported alone."""
        found = [read for part in run for read in part.reads]
        reads, alone = self._covered(found)
        writes = {}  # (event, variable, update) -> [(key, line)]
        for part in run:
            if part.write is not None:
                group, key = part.write
                writes.setdefault(group, []).append((key, part.statement.lineno))
        accesses = len(found) + sum(len(stores) for stores in writes.values())
        if len(reads) + len(writes) + len(alone) >= accesses:
            rewritten = []
            for part in run:
                self._append(rewritten, self.visit(part.statement))
            return rewritten
        # (The values need no rewriting but the reads reported alone: plain arithmetic
        # holds no other access. A first statement whose value calls is rewritten as
        # alone but for its store, and the reads are reported after it.)
        statements = [part.statement for part in run]
        if alone:
            replacer = self._made_there(alone)
            statements = [replacer.visit(statement) for statement in statements]
        calling = run[0].calls
        if calling:
            statements[0].value = self.visit(statements[0].value)
        first = run[1 if calling else 0].statement
        before = [_located(ast.Expr(event), first) for event in self._read_events(reads, first)]
        after = []
        for (event, variable, update), stores in writes.items():
            arguments = [ast.Name(variable, ast.Load()),
                         ast.Constant(tuple(key for key, _ in stores)),
                         ast.Constant(tuple(line for _, line in stores))]
            if update:
                arguments.append(ast.Constant(True))
            after.append(_located(ast.Expr(_event(event, arguments, run[-1].statement)),
                                  run[-1].statement))
        if calling:
            return statements[:1] + before + statements[1:] + after
        return before + statements + after

    @staticmethod
    def _read_events(reads, node):
        """The events (events.ra_run) that report `reads`, {variable: {attribute name:
        line}} (see `_covered`), at `node`: one for each variable."""
        return [_event("ra_run", [ast.Name(variable, ast.Load()), ast.Constant(tuple(names)),
                                  ast.Constant(tuple(names.values()))], node)
                for variable, names in reads.items()]

    def _made_there(self, alone):
        """What rewrites the reads `alone` (nodes, see `_covered`) so that each is
        reported where it is made (events.ra)."""
        return _Replacer({id(node): self._reported("ra", node, node) for node in alone})

    @staticmethod
    def _covered(found):
        """The reads `found` (as `_reads` gives them) that one event before them reports:
        {variable: {attribute name: line}} of those made unconditionally; and the nodes
        of those made only sometimes that no unconditional read of the same attribute of
        the same variable covers, which are reported alone, where they are made."""
        reads = {}
        for variable, name, line, _, conditional in found:
            if not conditional:
                reads.setdefault(variable, {}).setdefault(name, line)
        alone = [node for variable, name, _, node, conditional in found
                 if conditional and name not in reads.get(variable, ())]
        return reads, alone

    def _reads(self, node, conditional=False, reads=None):
        """The attribute reads of `node`, if it is constants and simple variables (see
        `_simple`) and attributes of such variables, in arithmetic and comparisons
        (other than `in`): its evaluation calls nothing (an operator of the program's
        own class aside) and makes no event but its reads. A list of (variable,
        attribute name, line, node, conditional: whether it is made only sometimes), or
        None."""
        if reads is None:
            reads = []
        if isinstance(node, ast.Subscript):
            # An item or a slice of a container that only this frame sees: no event.
            if not self._private(node.value):
                return None
            keys = [part for part in (node.slice.lower, node.slice.upper, node.slice.step)
                    if part is not None] if isinstance(node.slice, ast.Slice) else [node.slice]
            for key in keys:
                if self._reads(key, conditional, reads) is None:
                    return None
            return reads
        if isinstance(node, ast.Attribute):
            if not (isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name)
                    and self._simple(node.value) and not self._class_state(node)):
                return None
            if self._private(node.value):
                return reads  # (a container's method: see private_containers)
            if node.attr in _TAKES:
                return None  # (a take kept to be called later: see visit_Attribute)
            reads.append((node.value.id, self._attribute_name(node), node.lineno, node,
                          conditional))
            return reads
        if not isinstance(node, _ARITHMETIC) or \
                isinstance(node, ast.Name) and not self._simple(node) or \
                isinstance(node, ast.Dict) and None in node.keys:
            return None  # (`{**d}` iterates `d`)
        if isinstance(node, ast.IfExp):
            parts = [(node.test, conditional), (node.body, True), (node.orelse, True)]
        elif isinstance(node, ast.BoolOp):
            parts = [(node.values[0], conditional)] + [(value, True) for value in node.values[1:]]
        elif isinstance(node, ast.Compare):
            if not all(isinstance(op, _ARITHMETIC) for op in node.ops):
                return None  # (`in`: a container's read)
            parts = [(node.left, conditional), (node.comparators[0], conditional)] + \
                [(comparator, True) for comparator in node.comparators[1:]]
        else:
            parts = [(child, conditional) for child in ast.iter_child_nodes(node)]
        for child, child_conditional in parts:
            if self._reads(child, child_conditional, reads) is None:
                return None
        return reads

    def generic_visit(self, node):
        # Statement lists anywhere (if, while, try, with, match bodies) may grow.
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    setattr(node, field, self._statements(value))
                else:
                    new = []
                    for item in value:
                        if isinstance(item, ast.AST):
                            item = self.visit(item)
                            if item is None:
                                continue
                        new.append(item)
                    setattr(node, field, new)
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node

    # -- names: globals and closure cells --

    def _variable(self, name):
        """('global', None) or ('cell', qualname) when accesses to `name` here are
        events, else None."""
        kind, owner = self.scope.resolve(name)
        if kind == "global":
            return ("global", None) if name in self.declared_globals else None
        if kind == "local":
            owner = self.scope
        where = owner.written_cells.get(name)
        if where is None or self.scope.kind == "class":
            return None
        return "cell", where

    def _module_state(self, node):
        """Whether `node` is a standard-library module's own state (a name that is
        global here, an attribute of one of its classes named as such, or one of its
        caches): its accesses are the module's own synchronisation."""
        if isinstance(node, ast.Attribute):
            return node.attr in self.caches or self._class_state(node)
        return (self.stdlib and isinstance(node, ast.Name)
                and self.scope.resolve(node.id)[0] == "global")

    def _state_target(self, target):
        """Whether storing into `target` stores into a standard-library module's state."""
        if isinstance(target, ast.Subscript):
            return self._module_state(target.value)
        return isinstance(target, ast.Attribute) and self._class_state(target)

    def _class_state(self, node):
        """Whether the attribute `node` is of one of a standard-library module's classes,
        named as a global (`finalize._dirty` in weakref)."""
        owner = node.value
        return (self.stdlib and isinstance(owner, ast.Name) and owner.id in self.module_classes
                and self.scope.resolve(owner.id)[0] == "global")

    def _variable_event(self, name, write, node, value=None):
        """The event of a store (`write`) or a read of variable `name`, if it has one. A
        read's event is made after the read, whose `value` it is given and returns: the
        schedule explorer's switch falls between a read and a store that follows."""
        variable = self._variable(name)
        if variable is None:
            return None
        kind, where = variable
        suffix = "wr" if write else "rd"
        read = [] if write else [value]
        if kind == "global":
            if self.stdlib:
                # (Acquired after the read: what the value's writer published before it.)
                return _event("module_released" if write else "module_acquired",
                              read or [ast.Constant(None)], node)
            return _event(f"{suffix}_global", read + [ast.Constant(name)], node)
        getter = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], vararg=None,
                                               kwonlyargs=[], kw_defaults=[], kwarg=None,
                                               defaults=[]),
                            body=ast.Name(name, ast.Load()))
        return _event(f"{suffix}_cell",
                      read + [getter, ast.Constant(name), ast.Constant(where)], node)

    def visit_Name(self, node):
        if not isinstance(node.ctx, ast.Load):
            return node
        event = self._variable_event(node.id, False, node, value=node)
        return node if event is None else event

    def _publishes(self, targets):
        """Whether storing into `targets` rebinds a global of a standard-library module
        that an event stands for: the stored value is published (module_released)."""
        return self.stdlib and any(
            isinstance(target, ast.Name) and self._variable(target.id) == ("global", None)
            for target in self._leaves(targets))

    def _leaves(self, targets):
        """The targets a value is stored into, unpacked."""
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)):
                yield from self._leaves(target.elts)
            elif isinstance(target, ast.Starred):
                yield from self._leaves([target.value])
            else:
                yield target

    def _write_events(self, targets, node, published=False):
        """The events after a store into `targets`; none for the globals whose value
        the statement `published` already."""
        events = []
        leaves = list(self._leaves(targets))
        if published:
            leaves = [target for target in leaves if not isinstance(target, ast.Name)
                      or self._variable(target.id) != ("global", None)]
        for target in leaves:
            if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Slice) \
                    and isinstance(target.value, ast.Name) \
                    and not self._module_state(target.value) \
                    and not self._private(target.value):
                # `c[a:b] = ...`: the container's own atomic replacement, a write of its
                # contents (the container is named again, so only a plain name is).
                events.append(_located(ast.Expr(_event(
                    "wr_slice", [ast.Name(target.value.id, ast.Load())], node)), node))
        for target in leaves:
            if isinstance(target, ast.Name):
                event = self._variable_event(target.id, True, node)
                if event is not None:
                    events.append(_located(ast.Expr(event), node))
        return events

    # -- attributes and items --

    def _attribute_name(self, node):
        return _mangle(node.attr, self.class_names[-1] if self.class_names else None)

    def _simple(self, node):
        """Whether evaluating `node` again runs no code and touches nothing shared: a
        constant, or in a function a variable that no event stands for, of its own
        frame (another thread may rebind a variable of an enclosing function in
        between) or of its module (one that no function declares `global`, which
        this lowering takes for a constant: a class, a function, an object made once)."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = node.operand
            return isinstance(operand, ast.Constant) and type(operand.value) in (int, float)
        if not isinstance(node, ast.Name) or self.scope.kind not in ("function",
                                                                     "comprehension"):
            return False
        kind = self.scope.resolve(node.id)[0]
        if kind == "global" and self._module_state(node):
            return False  # (a standard-library module's state: reading it is an event)
        return kind in ("local", "global") and self._variable(node.id) is None

    def _private_item(self, target):
        """Whether `target` is an item (or slice) of a container only this frame sees."""
        return isinstance(target, ast.Subscript) and self._private(target.value)

    def _reported(self, event, node, *value):
        """`event(*value, obj, key)` for the access `node` (an attribute or item of `obj`,
        a simple expression, at `key`); `value` is what the host's own access gave."""
        key = node.slice if isinstance(node, ast.Subscript) else \
            ast.Constant(self._attribute_name(node))
        return _event(event, [*value, copy.deepcopy(node.value), copy.deepcopy(key)], node)

    def _accessed_after(self, event, node):
        """The access `node` (an attribute of an expression, or an item of one at a
        simple key), made by the program's expression on what `event` returns: the
        object, which the event reports the access of (see gilless.instrument.events,
        "Before the access")."""
        if isinstance(node, ast.Attribute):
            reported = _event(event, [node.value, ast.Constant(self._attribute_name(node))],
                              node)
            access = ast.Attribute(value=reported, attr=node.attr, ctx=node.ctx)
        else:
            reported = _event(event, [node.value, node.slice], node)
            access = ast.Subscript(value=reported, slice=copy.deepcopy(node.slice),
                                   ctx=node.ctx)
        return _located(access, node)

    def _after_store(self, target, statement):
        """`statement` (storing into `target`, left to the host), then the write event."""
        event = self._reported("wa" if isinstance(target, ast.Attribute) else "wi", target)
        return [statement, _located(ast.Expr(event), statement)]

    def _plain_arithmetic(self, node):
        """Whether `node` is constants and simple variables (`_simple`: the frame's, or
        the module's constants) in arithmetic and conditions: its evaluation calls
        nothing (an operator of the program's own class aside) and makes no event."""
        return self._reads(node) == []

    def _simple_target(self, target):
        """Whether the host can be left to store into `target` (an attribute of a simple
        object, or an item of one at a simple key) and the write reported after."""
        if isinstance(target, ast.Attribute):
            return self._simple(target.value)
        return isinstance(target, ast.Subscript) and not isinstance(target.slice, ast.Slice) \
            and self._simple(target.value) and self._simple(target.slice)

    def _read_run(self, node):
        """`node` with its attribute reads reported before it, by one event for each object
        read (events.ra_run), or None. For the race detector, where nothing but operators
        runs between the event and the reads: `node` is plain arithmetic over attributes
        of simple variables (see `_reads`), or a call of a simple name with such
        arguments, and reads an object twice or more (else the reads' own events cost
        no more). As in a run of statements (see `_run`), a read made only sometimes
        has its own event unless the same attribute is read unconditionally."""
        if not self.fused_updates:
            return None
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and self._simple(node.func)) \
                    or any(keyword.arg is None for keyword in node.keywords):
                return None
            parts = node.args + [keyword.value for keyword in node.keywords]
        else:
            parts = [node]
        found = []
        for part in parts:
            if self._reads(part, reads=found) is None:
                return None
        reads, alone = self._covered(found)
        if len(reads) + len(alone) >= len(found):
            return None
        if alone:
            node = self._made_there(alone).visit(node)
        return _located(ast.BoolOp(op=ast.Or(), values=self._read_events(reads, node) + [node]),
                        node)

    def visit_BinOp(self, node):
        return self._read_run(node) or self.generic_visit(node)

    visit_UnaryOp = visit_IfExp = visit_BoolOp = visit_BinOp

    def visit_Attribute(self, node):
        class_state = self._class_state(node)
        node.value = self.visit(node.value)
        if class_state:
            # (A store publishes its value: see visit_Assign and visit_AugAssign.)
            if isinstance(node.ctx, ast.Load):
                return _event("module_acquired", [node], node)
            return node
        if isinstance(node.ctx, ast.Load):
            if self._private(node.value):
                return node
            if node.attr in _TAKES:
                # A take kept to be called later (`get = jobs.popleft`, as
                # multiprocessing's feeder thread does): its calls are events too.
                return _event("method", [node.value, ast.Constant(node.attr)], node)
            if self._simple(node.value):
                return self._reported("ra", node, node)
            return self._accessed_after("ra_on", node)
        # A store or delete target: through the proxy.
        reference = _event("attr_ref", [node.value, ast.Constant(self._attribute_name(node))],
                           node)
        return _located(ast.Subscript(value=reference, slice=ast.Constant(None),
                                      ctx=node.ctx), node)

    def visit_Subscript(self, node):
        module_state = self._module_state(node.value)
        node.value = self.visit(node.value)
        node.slice = self.visit(node.slice)
        if isinstance(node.slice, ast.Slice) or self._private(node.value):
            # Slices read or replace a copy at once: the container's own atomic operation.
            return node
        if module_state:
            # (A store publishes its value: see visit_Assign and visit_AugAssign.)
            if isinstance(node.ctx, ast.Load):
                return _event("module_acquired", [node], node)
            return node
        if isinstance(node.ctx, ast.Load):
            if self._simple(node.value) and self._simple(node.slice):
                return self._reported("ri", node, node)
            if self._simple(node.slice):
                return self._accessed_after("ri_on", node)
            return _event("rd_item", [node.value, node.slice], node)
        reference = _event("item_ref", [node.value, node.slice], node)
        return _located(ast.Subscript(value=reference, slice=ast.Constant(None),
                                      ctx=node.ctx), node)

    def visit_Call(self, node):
        run = self._read_run(node)
        if run is not None:
            return run
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.ctx, ast.Load) \
                and func.attr in CONTAINER_METHODS and self._module_state(func.value):
            # A container of a standard-library module's state: the call publishes its
            # last argument and acquires what it reads.
            func.value = self.visit(func.value)
            node.args = [self.visit(a) for a in node.args]
            node.keywords = [self.visit(k) for k in node.keywords]
            arguments = node.keywords if node.keywords else node.args
            if arguments and not isinstance(arguments[-1], ast.Starred) \
                    and getattr(arguments[-1], "arg", "") is not None:
                last = arguments[-1]
                if isinstance(last, ast.keyword):
                    last.value = _event("module_released", [last.value], node)
                else:
                    arguments[-1] = _event("module_released", [last], node)
            return _event("module_acquired", [node], node)
        if isinstance(func, ast.Attribute) and isinstance(func.ctx, ast.Load) \
                and func.attr in CONTAINER_METHODS and not self._private(func.value):
            node.func = _event("method", [self.visit(func.value), ast.Constant(func.attr)],
                               func)
            node.args = [self.visit(a) for a in node.args]
            node.keywords = [self.visit(k) for k in node.keywords]
            return node
        if isinstance(func, ast.Attribute) and isinstance(func.ctx, ast.Load):
            # A method call: the lookup of the method is not a data access.
            func.value = self.visit(func.value)
            node.args = [self.visit(a) for a in node.args]
            node.keywords = [self.visit(k) for k in node.keywords]
            return node
        return self.generic_visit(node)

    def visit_Compare(self, node):
        run = self._read_run(node)
        if run is not None:
            return run
        module_state = len(node.comparators) == 1 and self._module_state(node.comparators[0])
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                and module_state:
            return _event("module_acquired", [node], node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                and not self._private(node.comparators[0]):
            item, container = node.left, node.comparators[0]
            if self._simple(item) and self._simple(container):
                return _event("contained", [node, copy.deepcopy(item),
                                            copy.deepcopy(container)], node)
            if self._simple(item):
                node.comparators = [_event("in_on", [copy.deepcopy(item), container],
                                           container)]
                return node
            test = _event("contains", [item, container], node)
            if isinstance(node.ops[0], ast.NotIn):
                test = _located(ast.UnaryOp(op=ast.Not(), operand=test), node)
            return test
        return node

    def _iter_source(self, expression, source=None):
        """`expression` (the rewritten `source`), read as a whole by iteration."""
        if self._module_state(source):
            return _event("module_acquired", [expression], expression)
        if self._private(source):
            return expression
        return _event("iter_source", [expression], expression)

    def visit_match_case(self, node):
        # Patterns name classes and values as the compiler requires (dotted names),
        # and match by the pattern protocol, not by plain accesses.
        if node.guard is not None:
            node.guard = self.visit(node.guard)
        node.body = self._statements(node.body)
        return node

    # -- statements --

    def visit_Assign(self, node):
        if self._publishes(node.targets):
            # A standard-library module's global: the value is published before the
            # store makes it visible.
            events = self._write_events(node.targets, node, published=True)
            self.generic_visit(node)
            node.value = _event("module_released", [node.value], node)
            return [node] + events
        events = self._write_events(node.targets, node)
        stored = [target for target in self._leaves(node.targets)
                  if not isinstance(target, ast.Name) and not self._private_item(target)]
        if not stored:
            self.generic_visit(node)
            return [node] + events
        if len(stored) == 1 and self._simple_target(stored[0]):
            # `self.x = v`, `self.x = x = v`, `self.x, y = v`: the host stores, the event
            # follows. (With two such targets, a failing second store would leave the
            # first without its event: through the references below.)
            node.value = self.visit(node.value)
            return self._after_store(stored[0], node) + events
        if len(node.targets) == 1 and isinstance(node.targets[0], (ast.Attribute, ast.Subscript)):
            target = node.targets[0]
            value = self.visit(node.value)
            # (The store's call at the target's place, where the host's traceback
            # points at a store that fails.)
            module_state = self._state_target(target)
            if isinstance(target, ast.Attribute) and not module_state:
                target.value = self.visit(target.value)
                node.targets, node.value = [self._accessed_after("wa_on", target)], value
                return [node] + events
            if isinstance(target, ast.Subscript) and not isinstance(target.slice, ast.Slice) \
                    and not module_state:
                target.value = self.visit(target.value)
                target.slice = self.visit(target.slice)
                if self._simple(target.slice):
                    node.targets, node.value = [self._accessed_after("wi_on", target)], value
                    return [node] + events
                return _located(ast.Expr(_event(
                    "wr_item", [value, target.value, target.slice], target)), node)
            node.value = _event("module_released", [value], node) if module_state else value
            node.targets = [self.visit(target)]
            return [node] + events
        self.generic_visit(node)
        return [node] + events

    def visit_AnnAssign(self, node):
        if node.value is not None and self._simple_target(node.target):
            node.value = self.visit(node.value)
            return self._after_store(node.target, node)
        events = self._write_events([node.target], node) if node.value is not None else []
        node.target = self.visit(node.target)
        if node.value is not None:
            node.value = self.visit(node.value)
        return [node] + events

    def visit_AugAssign(self, node):
        if self._private_item(node.target):
            self.generic_visit(node)
            return node
        if isinstance(node.target, ast.Subscript) and isinstance(node.target.slice, ast.Slice):
            self.generic_visit(node)
            return [node] + self._write_events([node.target], node)
        if self._state_target(node.target):
            # (The value is evaluated after the read and before the store.)
            self.generic_visit(node)
            node.value = _event("module_released", [node.value], node)
            return node
        if isinstance(node.target, ast.Name):
            # The host reads, then evaluates the value, which begins with the read's event
            # (given None): `g += (E.rd_global(None, 'g') or v)`, then `E.wr_global('g')`.
            read = self._variable_event(node.target.id, False, node, value=ast.Constant(None))
            node.value = self.visit(node.value)
            if read is None:
                return node
            node.value = _located(ast.BoolOp(op=ast.Or(), values=[read, node.value]), node)
            return [node] + self._write_events([node.target], node)
        if self._simple_target(node.target):
            if self.fused_updates and self._plain_arithmetic(node.value):
                # `x.a += 1`, `p[i] -= d * m`: the host reads, computes and stores, and
                # one event after it reports the read and the write (see rwa).
                node.value = self.visit(node.value)
                event = self._reported(
                    "rwa" if isinstance(node.target, ast.Attribute) else "rwi", node.target)
                return [node, _located(ast.Expr(event), node)]
            # The host reads, then evaluates the value, which begins with the read's event:
            # `x.a += (E.ra(None, x, 'a') or v)`, then `E.wa(x, 'a')`.
            read = self._reported("ra" if isinstance(node.target, ast.Attribute) else "ri",
                                  node.target, ast.Constant(None))
            node.value = _located(ast.BoolOp(op=ast.Or(), values=[read, self.visit(node.value)]),
                                  node)
            return self._after_store(node.target, node)
        self.generic_visit(node)
        return node

    def visit_Delete(self, node):
        events = self._write_events(node.targets, node)
        self.generic_visit(node)
        return [node] + events

    def _visit_loop(self, node):
        node.iter = self._iter_source(self.visit(node.iter), node.iter)
        node.target = self.visit(node.target)
        node.body = self._write_events([node.target], node) + self._statements(node.body)
        node.orelse = self._statements(node.orelse)
        return node

    visit_For = visit_AsyncFor = _visit_loop

    def _visit_binding(self, node, names):
        self.generic_visit(node)
        events = []
        for name in names:
            event = self._variable_event(name, True, node)
            if event is not None:
                events.append(_located(ast.Expr(event), node))
        return [node] + events

    def visit_Import(self, node):
        return self._visit_binding(node, [a.asname or a.name.partition(".")[0]
                                          for a in node.names])

    def visit_ImportFrom(self, node):
        return self._visit_binding(node, [a.asname or a.name for a in node.names
                                          if a.name != "*"])


def finish(code, runtime):
    """`code` with each placeholder constant replaced by `runtime`'s function of that
    name, in nested code too."""
    def function(constant):
        if type(constant) is str and constant.startswith(EVENTS):
            return getattr(runtime, constant[len(EVENTS):])
        return constant
    return _replaced(code, function)


def unfinish(code, runtime):
    """`code` with `runtime`'s functions replaced by their placeholders again, in nested
    code too: the form the compile cache keeps, which marshal can write."""
    def placeholder(constant):
        if (type(constant) is types.FunctionType
                and getattr(runtime, constant.__name__, None) is constant):
            return EVENTS + constant.__name__
        return constant
    return _replaced(code, placeholder)


def _replaced(code, convert):
    constants = tuple(_replaced(c, convert) if type(c) is types.CodeType else convert(c)
                      for c in code.co_consts)
    if all(map(operator.is_, constants, code.co_consts)):
        return code
    return code.replace(co_consts=constants)
