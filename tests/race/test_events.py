"""Instrumented accesses behave as the host's own: results, errors and tracebacks.

Every program runs under `gilless -X race` and under CPython, the oracle;
the outputs must be the same, so an access rewritten into an event call
neither changes what it computes nor leaves a gilless frame in what it
raises.
"""

import re
import textwrap

import pytest

from conftest import run_cpython, run_gilless

# Each case raises through one kind of rewritten access; the program prints the
# traceback. An access of a function's own variable is left to the host's bytecode
# and reported after it, others are made by the event function (see
# gilless.compiler.accesses): each case runs in both forms, on `c` and on `o.c`. What
# raises is the host's instruction or hides the event function's frame: the
# traceback shows the guest's frames only, with the host's lines and columns, in
# multi-line expressions too.
ERRORS = {
    "attribute read": "c.missing",
    "attribute store": "s.other = 1",
    "store in a run": "s.x = 1\ns.other = 2",
    "augmented attribute": "c.missing += 1",
    "attribute delete": "del c.missing",
    "item read": "d['missing']",
    "item store": "{}[[]] = 1",
    "augmented item": "d['missing'] += 1",
    "item delete": "del L[5]",
    "container method": "L.pop(7)",
    "membership": "[] in d",
    "global read": "undefined_global",
    "multi-line read": "(c.x +\n c.missing)",
    "read in a run": "c.x + c.missing * c.x",
    "multi-line item": "[d,\n d[k]]",
    "multi-line augmented": "c.x += (1 +\n        c.missing)",
    "negative index": "L[-1] += L[k]",
    "multi-line store": "c.y = (1,\n       d[k])",
}
FORMS = {"local": {}, "attribute of a local": {"c": "o.c", "s": "o.s", "d": "o.d", "L": "o.L"}}


def in_form(statement, names):
    return "".join(names.get(token, token) for token in re.split(r"(\b\w+\b)", statement))


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
@pytest.mark.parametrize("statement", ERRORS.values(), ids=ERRORS.keys())
def test_errors_raised_through_accesses_show_the_guest_frames_only(tmp_path, statement, form):
    program = tmp_path / "errors.py"
    program.write_text(textwrap.dedent("""\
        import traceback

        class C:
            x = 1

        class Slotted:
            __slots__ = ("x",)

        def touch(k):
            global undefined_global
            c, s, d, L = C(), Slotted(), {}, [1]
            o = C()
            o.c, o.s, o.d, o.L = c, s, d, L
        STATEMENT
        try:
            touch("b")
        except Exception:
            print(traceback.format_exc())
        """).replace("STATEMENT", textwrap.indent(in_form(statement, form), " " * 4)))
    expected = run_cpython(str(program))
    result = run_gilless("-X", "race", str(program))
    assert (result.stdout, result.returncode) == (expected.stdout, expected.returncode)
    assert "touch" in result.stdout


def test_rewritten_code_computes_what_the_host_does(tmp_path):
    program = tmp_path / "values.py"
    program.write_text(textwrap.dedent("""\
        from __future__ import annotations
        import dataclasses

        counter = 0

        def bump():
            global counter
            counter += 1
            return counter

        def make():
            hits = 0
            def hit():
                nonlocal hits
                hits += 1
                return hits
            return hit

        class Private:
            def __init__(self):
                self.__secret = 1
                self.__secret += 1
            def reveal(self):
                return self.__secret, self._Private__secret

        @dataclasses.dataclass
        class Point:
            x: int
            y: dataclasses.InitVar[int] = 0
            def __post_init__(self, y):
                self.x += y

        L, d, s = [3, 1, 2], {"a": 1}, {1}
        L[0] += 10; L[-1] = 7; L[1:2] = [5, 6]; del L[0]
        d["b"] = d.get("a", 0) + 1; d.setdefault("c", []).append(1); del d["a"]
        s.add(2); s.discard(1)
        hit = make()
        a, b = Point(1, y=2), Private()
        a.x, (d["z"], L[0]) = 9, (8, 0)
        print(bump(), bump(), hit(), hit(), b.reveal(), a, L, d, s, "b" in d, 3 not in L,
              [v * 2 for v in L], {k: v for k, v in d.items() if k != "c"})
        """))
    expected = run_cpython(str(program))
    result = run_gilless("-X", "race", str(program))
    assert (result.stdout, result.stderr, result.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)


def test_reported_accesses_compute_what_the_host_does(tmp_path):
    program = tmp_path / "locals.py"
    program.write_text(textwrap.dedent("""\
        class P:
            label = "class"

            def __init__(self, x):
                self.x = x
                self.y: int = -x
                self.a = x
                self.b = self.c = -x
                self.c = x * 2 if x else None
                self.a = self.c

            def moved(self, other, L, d, k):
                self.x += other.x
                L[0] -= self.x
                L[-1] *= 2
                L[k] = L[-2] + L[k]
                d[k] = d[k] + 1 if k in d else 0
                d["n"] += 1
                self.label += "!"
                self.z = z = other.x
                self.w, t = z, L[0]
                return [p.x for p in (self, other)], self.label, P.label, self.w + t

            def runs(self, other):
                return (self.x * other.x + self.y * other.y, P(self.x - other.x),
                        -(self.x * self.x), self.label + self.label, self.x < other.x,
                        max(self.x, other.x, key=abs), (self.x, self.y) == (other.x, 0))

        p, q = P(1), P(2)
        L, d = [1, 2, 3], {"n": 0}
        print(p.moved(q, L, d, 1), p.moved(q, L, d, 1), L, d, vars(p))
        print(p.runs(q)[0], p.runs(q)[2:], vars(p.runs(q)[1]))
        """))
    expected = run_cpython(str(program))
    result = run_gilless("-X", "race", str(program))
    assert (result.stdout, result.stderr, result.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)


def test_method_calls_compute_what_the_host_does(tmp_path):
    # A call of a method with a container method's name: the built-in containers' calls
    # are events, other objects' methods are called directly; either way the method is
    # looked up before the arguments are evaluated, as CPython does.
    program = tmp_path / "methods.py"
    program.write_text(textwrap.dedent("""\
        from collections import deque
        order = []

        def arg(value):
            order.append(("argument", value))
            return value

        class Box:
            def __init__(self):
                self.held = []
            def add(self, x):
                self.held.append(x)
                return self
            def get(self, key, default=None):
                return ("box", key, default)
            def update(self, **names):
                return sorted(names)

        class Late:
            def __getattr__(self, name):
                order.append(("lookup", name))
                return lambda *args: args

        class Table(dict):
            def add(self, key):
                self[key] = True

        b = Box()
        b.add(1).add(2)
        print(b.held, b.get("k"), b.get("k", default=3), b.update(z=1, a=2))
        print(Late().append(arg(1), arg(2)), order)
        t = Table(); t.add("x"); t.update(y=2)
        print(t, t.get("x"), t.get("z", 0), t.pop("y"), t.setdefault("w", []))
        q = deque([1]); q.append(2); q.appendleft(0); q.extend([3])
        print(q.popleft(), q.pop(), list(q))
        L = [3, 1]; L.append(2); L.extend([5]); L.insert(0, 9); L.sort(); L.reverse()
        print(L.pop(), L.pop(0), L, L.remove(3), L)
        s = {1}; s.add(2); s.discard(1); s.update([4]); print(s, s.pop(), s)
        for call in (lambda: L.append(x=1), lambda: {}.get(), lambda: L.missing(),
                     lambda: b.clear()):
            try:
                call()
            except (TypeError, AttributeError) as error:
                print(type(error).__name__, error)
        """))
    expected = run_cpython(str(program))
    result = run_gilless("-X", "race", str(program))
    assert (result.stdout, result.stderr, result.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)
