# except* and exception groups.
eg = ExceptionGroup("many", [ValueError(1), TypeError("t"), ValueError(2), KeyError("k")])
print(repr(eg), eg.message, len(eg.exceptions))
try:
    raise eg
except* ValueError as group:
    print("values", repr(group))
except* (TypeError, KeyError) as group:
    print("others", [type(e).__name__ for e in group.exceptions])
match, rest = eg.split(ValueError)
print(repr(match), repr(rest))
print(repr(eg.subgroup(lambda e: isinstance(e, KeyError))))
nested = ExceptionGroup("outer", [ValueError("a"), ExceptionGroup("inner", [TypeError("b")])])
try:
    try:
        raise nested
    except* TypeError:
        print("handled the TypeError")
except ExceptionGroup as remaining:
    print("remaining", repr(remaining))
try:
    raise BaseExceptionGroup("base", [KeyboardInterrupt()])
except BaseExceptionGroup as b:
    print(type(b).__name__, repr(b.exceptions))
print(type(BaseExceptionGroup("x", [ValueError()])).__name__)
try:
    ExceptionGroup("bad", [])
except ValueError as e:
    print("ValueError:", e)
try:
    raise ValueError("naked")
except* ValueError as g:
    print(type(g).__name__, repr(g.exceptions))


class MyGroup(ExceptionGroup):
    def derive(self, excs):
        return MyGroup(self.message, excs)


try:
    raise MyGroup("mine", [ValueError(1), OSError(2)])
except* OSError as g:
    print(type(g).__name__, repr(g))
except* ValueError as g:
    print(type(g).__name__)
raise ExceptionGroup("final", [ValueError("one"), ExceptionGroup("sub", [TypeError("two")])])
