"""Lock-order checking: a lock-order inversion is reported the first time it is seen.

Two threads that take two locks in opposite orders can deadlock, even if in
this run one thread happened to finish before the other started. As
ThreadSanitizer's deadlock detector and the Linux kernel's lockdep do, every
thread's acquisitions build one graph with an edge M1 -> M2 for each lock M2
acquired while M1 was held, and a cycle in that graph is reported as a
potential deadlock, with the two acquisition stacks of each edge, whether or
not the run deadlocked. Any tool that sees guest lock operations feeds this
module (the race detector through `gilless.instrument.sync`'s wrappers); it
reports through the function given to `start`.

The policy (docs/races.md has it for users):

- a re-entrant acquisition of an RLock the thread holds adds no edge;
- an acquisition that cannot wait forever (`blocking=False`, or a timeout)
  adds no edge to the lock it takes, since it cannot be the one that
  deadlocks (ThreadSanitizer treats `pthread_mutex_trylock` and
  `pthread_mutex_timedlock` so, lockdep its trylocks); the lock is held all
  the same, so what is acquired under it gets an edge from it;
- a `_thread.lock` is also a binary semaphore, and the standard library uses
  it as one: `Condition.wait` parks each waiter on a fresh lock that the
  notifying thread releases, or that stays locked after a timeout. So an
  edge M1 -> M2 is only added when M2 is released by the thread that
  acquired it (it was held as a mutex); a lock released by another thread,
  given up by a timed acquire of the thread holding it, or taken while the
  graph thinks another thread holds it (the host released it: a thread's end
  sentinel) is a signal, not a mutex: it leaves the graph for good (a failed
  non-blocking acquire is only a probe: `Condition.notify` checks so that its
  caller holds the lock); and a lock that dies held (a waiter left locked) is
  held no longer;
- a lock released out of order (M1 before M2) leaves the edges it made.

Each lock's node lives in the lock's own `_order` slot, not in a table
keyed by `id()`: a lock made at the address of a dead one is a new node.
The node is a weak reference to its lock, whose callback drops it from the
graph and from the held locks of its thread when the lock dies, so the
edges of dead locks neither accumulate nor match new ones.

Every lock operation of every thread comes here, so the hot paths are
module-level functions over per-thread data (the locks a thread holds) and
each lock's node; the graph is only locked to add an edge, the first time a
pair of locks is nested, and only then is it searched for a cycle. Each
acquisition records its guest stack (a report needs the stack of the held
lock's acquisition too), which is most of this module's cost.
"""

import itertools
import sys
import threading as host_threading
import weakref
from _thread import _local as _host_local

from gilless.instrument.stacks import capture_stack, format_stack, frames, line_of

RULE_ID = "lock-order-inversion"
HEADER = "WARNING: POTENTIAL DEADLOCK: lock-order inversion"


class _Node(weakref.ref):
    """A lock in the graph, as a weak reference to it: what it is, where it was made,
    who holds it, its edges. `_new_node` fills it in (a weak reference's own
    constructor takes only the lock and the callback)."""

    __slots__ = ("key", "kind", "site", "owner", "signal", "out", "into")
    # key     its id (edges are found by it: a weak reference hashes and compares as
    #         its lock does); unique while it is in the graph, which refers to it
    # kind    the lock's type name: "lock" or "RLock"
    # site    (code, instruction offset) of its creation, or None
    # owner   the held entry of the thread holding it, or None
    # signal  True once seen used as a signal: no part of the graph
    # out     target key -> _Edge, made with the first edge from it
    # into    source key -> source node, made with the first edge to it


# One lock as one thread holds it: a list (made at C speed, on every acquisition) of
NODE = 0    # the lock's _Node
STATE = 1   # the holding thread's _ThreadState
STACK = 2   # where it was acquired
COUNT = 3   # an RLock's depth
BEFORE = 4  # the entries of the locks held when it was taken, if it was taken blocking
ROOTED = 5  # whether STACK's callers were seen in a stack walked in full (see `acquired`)


class _ThreadState:
    __slots__ = ("held", "thread", "stacks")

    def __init__(self, thread):
        self.held = []
        self.thread = thread  # the tool's view of the thread (describe(), created)
        self.stacks = {}      # capture_stack's cache


class _Edge:
    """Lock `target` acquired by `thread` at `stack` while it held `source`, which it
    had acquired at `held_stack`."""

    __slots__ = ("serial", "source", "target", "thread", "stack", "held_stack")

    def __init__(self, serial, source, target, thread, stack, held_stack):
        self.serial = serial  # edges are numbered as they are made
        self.source = source
        self.target = target
        self.thread = thread
        self.stack = stack
        self.held_stack = held_stack


# -- per-process state ---------------------------------------------------------------

_tls = _host_local()
# Reentrant, to tell when the collector ran a finaliser that takes locks while this
# thread changes the graph (that edge is left for the next time).
_graph_lock = host_threading.RLock()
_dead = []          # nodes to drop from the graph (dead locks, signals), by the next edge
_reported = set()   # the keys of the cycles reported (Inversion.key)
_serials = itertools.count()  # (drawn with the graph lock held)
_report = None
_current_thread = None


def start(report, current_thread):
    """Begin checking. `report(inversion)` is called with each new `Inversion`;
    `current_thread()` gives the tool's object for the calling thread, with
    `describe()` ("main thread", "thread T1 (name)") and `created` (the stack of
    its creation, or None)."""
    global _report, _current_thread, _tls
    _report = report
    _current_thread = current_thread
    _tls = _host_local()
    _reported.clear()


def _state():
    state = _tls.state = _ThreadState(_current_thread())
    return state


def _lock_died(node, dead=_dead):
    # (The list bound as a default: this can run while the host tears modules down.)
    owner = node.owner
    if owner is not None:
        # Dead while held (Condition.wait's waiter after a timeout): held no longer.
        node.owner = None
        held = owner[1].held  # (owner[STATE])
        for index, other in enumerate(held):
            if other is owner:
                del held[index]
                break
    if node.out or node.into:
        dead.append(node)


def _new_node(lock, site):
    node = lock._order = _Node(lock, _lock_died)
    node.key = id(node)
    node.kind = type(lock).__name__
    node.site = site
    node.owner = node.out = node.into = None
    node.signal = False
    return node


# -- lock events (every lock operation: keep them short) -----------------------------

def created(lock, frame=None):
    """`lock` was made by guest code whose innermost frame is `frame` (by default the
    first guest frame of the caller's stack)."""
    if frame is None:
        stack = capture_stack(sys._getframe(1))
        site = stack[:2] if stack is not None else None
    else:
        site = (frame.f_code, frame.f_lasti)
    _new_node(lock, site)


# The frames from `acquired` out to the code that took the lock: the lock's method (in
# gilless.instrument.sync, or the schedule explorer's primitives) and the hides_frames
# wrapper around it. sys._getframe goes past them without making a frame object for
# each, as walking out through f_back would (capture_stack, started at the method's
# frame, would step over them all the same): `with lock:` under -X race took 2.05 us
# on 3.11 and 3.66 us on 3.13t when it did, 1.64 and 3.07 since.
_LOCK_CALLER = 3


def acquired(lock, blocking=True, count=1, _getframe=sys._getframe):
    """The calling thread acquired `lock`; `blocking` False if the acquire could not
    have waited forever; `count` the depth an RLock is restored to."""
    node = lock._order
    if node is None:
        node = _new_node(lock, None)
    elif node.signal:
        return
    try:
        state = _tls.state
    except AttributeError:
        state = _state()
    owner = node.owner
    if owner is not None:
        if owner[STATE] is state:
            owner[COUNT] += count
        else:
            # Released where no event saw it.
            _to_signal(node)
        return
    held = state.held
    try:
        caller = _getframe(_LOCK_CALLER)
    except ValueError:
        caller = _getframe(1)  # (called directly, near the bottom of a stack)
    if held and blocking and _new_edges(held, node.key):
        # An acquisition that makes edges (once released), whose report shows its stack
        # and those of the held locks' acquisitions: walked in full, as the stack
        # cache's callers may be an earlier call's (a helper called through the same
        # frames from elsewhere), and the held locks' stacks given the callers their
        # frames have in it (they mostly still run: `with a:` around `with b:`).
        # (Nesting a pair again makes no edge: the cache's stack will do.)
        stack = capture_stack(caller)
        for other in held:
            if not other[ROOTED]:
                other[STACK] = _rooted(other[STACK], stack)
                other[ROOTED] = True
        entry = [node, state, stack, count, tuple(held), True]
    else:
        entry = [node, state, capture_stack(caller, state.stacks), count,
                 tuple(held) if held and blocking else None, False]
    node.owner = entry
    held.append(entry)


def _new_edges(held, key):
    """Whether some lock of `held` has no edge yet to the lock of node `key`."""
    for other in held:
        edges = other[NODE].out
        if edges is None or key not in edges:
            return True
    return False


def _rooted(stack, walked):
    """`stack`, of a frame that ran before, with the callers that the innermost frame
    running its code has in `walked` (a stack walked in full), or as it is if none does."""
    if stack is None:
        return None
    code = stack[0]
    while walked is not None:
        if walked[0] is code:
            return (code, stack[1], walked[2])
        walked = walked[2]
    return stack


def releasing(lock, entirely=False):
    """The calling thread is about to release `lock` (all of an RLock's depth if
    `entirely`, as Condition.wait does)."""
    node = lock._order
    if node is None:
        return
    entry = node.owner
    if entry is None:
        return
    try:
        state = _tls.state
    except AttributeError:
        state = None
    if entry[STATE] is not state:
        _to_signal(node)
        return
    if entry[COUNT] > 1 and not entirely:
        entry[COUNT] -= 1
        return
    node.owner = None
    held = state.held
    if held and held[-1] is entry:
        held.pop()
    else:
        _forget(held, entry)
    if entry[BEFORE] is not None:
        # It was held as a mutex: the edges from the locks held when it was taken.
        key = node.key
        for source in entry[BEFORE]:
            edges = source[NODE].out
            if edges is None or key not in edges:
                _add_edge(source, entry)


def reinitialized(lock):
    """`lock` was made unlocked again without a release (`_at_fork_reinit`, which a
    child process runs after fork on the locks the parent held, as `logging` does on
    its own): whoever held it holds it no longer, and what was acquired under it
    adds no edge."""
    node = lock._order
    if node is not None and node.owner is not None:
        owner = node.owner
        node.owner = None
        _forget(owner[STATE].held, owner)


def not_acquired(lock):
    """A blocking acquire of `lock` with a timeout gave up."""
    node = lock._order
    if node is None or node.owner is None:
        return
    if node.owner[STATE] is getattr(_tls, "state", None):
        # The thread that holds it waited for another to release it.
        _to_signal(node)


def signal(lock):
    """`lock` is a signal, not a mutex (a thread's end sentinel, which the host
    releases): it takes no part in the graph."""
    node = lock._order
    if node is None:
        node = _new_node(lock, None)
    node.signal = True


# -- the graph -----------------------------------------------------------------------

def _forget(held, entry):
    """Take `entry` out of `held` (by identity: entries are lists)."""
    for index, other in enumerate(held):
        if other is entry:
            del held[index]
            return


def _to_signal(node):
    node.signal = True
    owner = node.owner
    node.owner = None
    if owner is not None:
        _forget(owner[STATE].held, owner)
    # (Its edges go before the next one is added, which is when they could count.)
    _dead.append(node)


def _unlink(node):
    """Drop `node`'s edges (the graph lock held)."""
    for edge in (node.out or {}).values():
        del edge.target.into[node.key]
    for source in (node.into or {}).values():
        del source.out[node.key]
    node.out = node.into = None


def _add_edge(source, entry):
    a, b = source[NODE], entry[NODE]
    cycle = None
    if _graph_lock._is_owned():
        return
    with _graph_lock:
        while _dead:
            _unlink(_dead.pop())
        if a.signal or b.signal or a() is None or b() is None:
            return
        if a.out is None:
            a.out = {}
        elif b.key in a.out:
            return
        edge = _Edge(next(_serials), a, b, entry[STATE].thread, entry[STACK], source[STACK])
        a.out[b.key] = edge
        if b.into is None:
            b.into = {}
        b.into[a.key] = a
        path = _path(b, a)
        if path is not None:
            cycle = Inversion([edge] + path)
            key = cycle.key()
            if key in _reported:
                cycle = None
            else:
                _reported.add(key)
    if cycle is not None:
        _report(cycle)


def _path(start, goal):
    """The edges of a shortest path from `start` to `goal`, or None (breadth first)."""
    reached = {start.key: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for edge in (node.out or {}).values():
                target = edge.target
                if target.key in reached:
                    continue
                reached[target.key] = edge
                if target is goal:
                    path = []
                    while edge is not None:
                        path.append(edge)
                        edge = reached[edge.source.key]
                    path.reverse()
                    return path
                following.append(target)
        frontier = following
    return None


# -- reports -------------------------------------------------------------------------

def _site(stack):
    if not stack:
        return None
    return stack[0].co_filename, line_of(stack[0], stack[1])


class Inversion:
    """A cycle in the lock-order graph: `edges[i].target` is `edges[i + 1].source`,
    and the last edge's target is the first one's source."""

    def __init__(self, edges):
        # From the edge made first (the order in which the program went).
        first = min(range(len(edges)), key=lambda index: edges[index].serial)
        self.edges = edges = edges[first:] + edges[:first]
        # The locks named M1, M2 ... in the order of the cycle.
        self._names = {edge.source.key: f"M{index}" for index, edge in enumerate(edges, 1)}

    def name(self, node):
        """"M1", "M2" ..."""
        return self._names[node.key]

    def key(self):
        """The source lines of each edge's two acquisitions: a cycle is reported once
        however many lock objects run through the same code."""
        return frozenset((_site(edge.held_stack), _site(edge.stack)) for edge in self.edges)

    def threads(self):
        """The tool's objects of the threads that made the edges, each once."""
        threads = []
        for edge in self.edges:
            if all(thread is not edge.thread for thread in threads):
                threads.append(edge.thread)
        return threads

    def describe_lock(self, node):
        """"M1 (lock created at FILE:LINE)"."""
        where = ""
        if node.site is not None:
            code, offset = node.site
            where = f" created at {code.co_filename}:{line_of(code, offset)}"
        return f"{self.name(node)} ({node.kind}{where})"

    def cycle(self):
        """"M1 (lock created at FILE:LINE) => M2 (...) => M1"."""
        locks = [self.describe_lock(edge.source) for edge in self.edges]
        return " => ".join(locks + [self.name(self.edges[0].source)])

    def format(self):
        parts = ["==================\n", HEADER + "\n",
                 f"Cycle in lock order graph: {self.cycle()}\n"]
        for edge in self.edges:
            held, acquired = self.name(edge.source), self.name(edge.target)
            parts += ["\n", f"Mutex {acquired} acquired here while holding mutex {held} "
                      f"in {_describe(edge.thread)}:\n", format_stack(edge.stack), "\n",
                      f"Mutex {held} previously acquired by the same thread here:\n",
                      format_stack(edge.held_stack)]
        for thread in self.threads():
            created = getattr(thread, "created", None)
            if created is not None:
                parts += ["\n", f"{_capitalised(_describe(thread))} created at:\n",
                          format_stack(created)]
        parts.append("==================\n")
        return "".join(parts)

    def as_json(self):
        def stack_json(stack):
            return [{"file": f, "line": n, "function": name, "source": source}
                    for f, n, name, source in frames(stack)]

        def lock_json(node):
            line = None if node.site is None else line_of(*node.site)
            return {"name": self.name(node), "kind": node.kind,
                    "created_at": None if node.site is None else
                    {"file": node.site[0].co_filename, "line": line}}

        return {
            "cycle": [lock_json(edge.source) for edge in self.edges],
            "edges": [{"held": self.name(edge.source), "acquired": self.name(edge.target),
                       "thread": _describe(edge.thread), "stack": stack_json(edge.stack),
                       "held_stack": stack_json(edge.held_stack)} for edge in self.edges],
            "text": self.format(),
        }


def _describe(thread):
    describe = getattr(thread, "describe", None)
    return describe() if describe is not None else "thread"


def _capitalised(text):
    return text[:1].upper() + text[1:]
