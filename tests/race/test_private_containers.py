"""Containers that only one frame sees (gilless.compiler.accesses.private_containers):
their accesses are no events, as Go's race detector leaves a function's variables that
do not escape uninstrumented; any way out of the frame keeps the events."""

import ast
import textwrap

import pytest

from gilless.compiler.accesses import AccessInstrumenter, _ScopeBuilder, private_containers


def _private(source, builtin=lambda name: True):
    tree = ast.parse(textwrap.dedent(source))
    [function] = tree.body
    scope = _ScopeBuilder().build(tree).scopes[id(function)]
    return private_containers(function, scope, builtin)


def test_containers_made_and_used_in_one_frame():
    assert _private("""
        def f(n, other):
            items = []
            table = {}
            seen = set()
            copy = items[:]
            push = items.append
            for i in range(n):
                push(i)
                table[i] = other[i]
                seen.add(i)
            copy += [1]
            del copy[0]
            total = len(table)
            for x in items:
                total += x
            if 3 in seen:
                total += table[3]
            squares = [x * x for x in items]
            squares.sort()
            return total + squares[0] + copy[-1]
    """) == {"items", "table", "seen", "copy", "squares"}


@pytest.mark.parametrize("source", [
    # returned, passed on, stored, aliased: another frame or thread may get it
    "def f():\n a = []\n return a",
    "def f(g):\n a = []\n g(a)",
    "def f(o):\n a = []\n o.x = a",
    "def f(o):\n a = []\n o[0] = a",
    "def f():\n a = []\n b = a\n b.append(1)",
    "def f(g):\n a = []\n push = a.append\n g(push)",
    "def f():\n a = []\n a.append(a)",
    # named by code that may run in another frame, later or in another thread
    "def f():\n a = []\n def g():\n  a.append(1)\n return g",
    "def f():\n a = []\n return lambda: a[0]",
    "def f():\n a = [1]\n return [a[0] for _ in range(3)]",
    "def f():\n a = [1]\n return (x for x in a)",
    "def f():\n a = [1]\n class C:\n  b = a\n return C",
    # not (only) a new container of its own
    "def f(a):\n a.append(1)",
    "def f(x):\n a = []\n a = x\n a.append(1)",
    "def f(x):\n a = x[:]\n a.append(1)",
    "def f(x):\n a, b = [], []\n a.append(1)",
    "def f():\n global a\n a = []\n a.append(1)",
    "def f():\n a = []\n import a\n a.append(1)",
    "def f():\n a = []\n try:\n  pass\n except Exception as a:\n  pass\n a.append(1)",
    "def f():\n for a in ([], []):\n  a.append(1)",
    # a frame that may be resumed anywhere, or handed out
    "def f():\n a = []\n a.append(1)\n yield 1",
    "def f():\n a = []\n a.append(1)\n return locals()",
])
def test_containers_that_may_leave_the_frame(source):
    assert _private(source) == frozenset()


def test_a_new_container_needs_the_builtin_of_its_name():
    source = "def f():\n a = list()\n a.append(1)"
    assert _private(source) == {"a"}
    assert _private(source, builtin=lambda name: name != "list") == frozenset()


def _events(source):
    """The events that the race detector's code for `source` calls, in order."""
    tree = AccessInstrumenter(fused_updates=True).visit(ast.parse(textwrap.dedent(source)))
    # (Each is a placeholder constant: see gilless.compiler.accesses.finish.)
    return [node.value.partition("events\x00")[2] for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.startswith("\x00gilless.instrument.events\x00")]


def test_their_accesses_are_no_events():
    assert _events("""
        def flips(perm1, k):
            perm = list(perm1)
            perm[:k + 1] = perm[k::-1]
            perm[0] += 1
            if perm[0] in perm and perm[1] > 0:
                perm.append(perm[k])
            for item in perm:
                k += item
            return k
    """) == []


def test_a_module_that_binds_the_name_keeps_the_events():
    # `list` here is the module's own function, which may return a shared list.
    assert _events("""
        shared = []

        def list(items):
            return shared

        def fill(items):
            made = list(items)
            made.append(1)
    """) == ["method"]
