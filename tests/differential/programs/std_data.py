# json, collections, dataclasses, enum, typing, copy, pickle, marshal, struct.
import collections
import copy
import dataclasses
import enum
import json
import marshal
import pickle
import struct
import typing

print(json.dumps({"b": [1, 2.5, None, True], "a": "é"}, sort_keys=True, indent=2))
print(json.dumps({"a": "é"}, ensure_ascii=False), json.loads('{"x": [1, {"y": null}]}'))
try:
    json.loads('{"a": }')
except json.JSONDecodeError as e:
    print("JSONDecodeError:", e, e.pos, e.lineno, e.colno)
try:
    json.dumps({1, 2})
except TypeError as e:
    print("TypeError:", e)
try:
    json.loads('"\\x"')
except ValueError as e:
    print(type(e).__name__, e)
print(json.dumps(collections.OrderedDict(z=1, a=2)), json.loads("[1e400, NaN]", parse_float=str))


class Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, set):
            return sorted(o)
        return super().default(o)


print(json.dumps({"s": {3, 1}}, cls=Encoder))
Pt = collections.namedtuple("Pt", "x y", defaults=[0])
p = Pt(1)
print(p, p._asdict(), p._replace(y=5), Pt._fields, Pt._field_defaults)
dq = collections.deque(range(5), maxlen=4)
dq.rotate(1)
dq.appendleft(9)
print(dq, dq.maxlen)
cm = collections.ChainMap({"a": 1}, {"a": 2, "b": 3})
print(cm["a"], cm["b"], len(cm), dict(cm))
dd = collections.defaultdict(list)
dd["k"].append(1)
print(dd, collections.Counter("mississippi").most_common(3), collections.OrderedDict.fromkeys("abc"))


@dataclasses.dataclass(order=True, frozen=True)
class Item:
    name: str
    price: float = 0.0
    tags: list = dataclasses.field(default_factory=list, compare=False)


i1, i2 = Item("a", 2.0), Item("b", 1.0)
print(i1, i1 < i2, sorted([i2, i1])[0].name, dataclasses.asdict(i1), dataclasses.astuple(i2))
try:
    i1.name = "z"
except dataclasses.FrozenInstanceError as e:
    print("FrozenInstanceError:", e)
print([f.name for f in dataclasses.fields(Item)], dataclasses.replace(i1, price=9))


@dataclasses.dataclass(slots=True, kw_only=True)
class Cfg:
    debug: bool = False
    level: int = 1


print(Cfg(level=3), hasattr(Cfg(), "__dict__"))


class Color(enum.Enum):
    RED = 1
    GREEN = enum.auto()
    BLUE = "blue"


class Perm(enum.Flag):
    R = 4
    W = 2
    X = 1


print(Color.RED, repr(Color.GREEN), Color("blue"), list(Color), Color.RED in Color, Color["BLUE"].value)
print(Perm.R | Perm.W, repr(Perm.R | Perm.X), Perm(6), bool(Perm(0)), list(Perm.R | Perm.W))
try:
    Color(7)
except ValueError as e:
    print("ValueError:", e)


class Status(enum.StrEnum):
    OK = enum.auto()


print(Status.OK, Status.OK == "ok", f"{Status.OK}")
T = typing.TypeVar("T")


class Stack(typing.Generic[T]):
    def __init__(self) -> None:
        self.items: list[T] = []


def typed(a: int, b: typing.Optional[str] = None) -> typing.List[int]:
    return [a]


print(typing.get_type_hints(typed), Stack[int], typing.Optional[int], typing.Union[int, str])
print(typing.get_origin(list[int]), typing.get_args(dict[str, int]), typing.Literal["a"])


class Proto(typing.Protocol):
    def run(self) -> None: ...


class TD(typing.TypedDict):
    a: int


print(TD(a=1), typing.NamedTuple("NT", [("x", int)])(1), typing.cast(int, "x"))
nested = {"a": [1, {"b": 2}]}
shallow, deep = copy.copy(nested), copy.deepcopy(nested)
nested["a"][1]["b"] = 3
print(shallow, deep)


class Custom:
    def __init__(self, v):
        self.v = v

    def __deepcopy__(self, memo):
        return Custom(self.v * 10)


print(copy.deepcopy(Custom(2)).v, copy.copy(Custom(2)).v)
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    data = pickle.dumps({"item": i1, "pt": p, "color": Color.RED, "set": {1}}, protocol=proto)
    print(proto, pickle.loads(data) == {"item": i1, "pt": p, "color": Color.RED, "set": {1}})
print(pickle.dumps([1, "a", None], protocol=2))
try:
    pickle.dumps(lambda: 0)
except (pickle.PicklingError, AttributeError) as e:
    print(type(e).__name__)


class Reduced:
    def __init__(self, a):
        self.a = a

    def __reduce__(self):
        return (Reduced, (self.a + 1,))


class State:
    def __getstate__(self):
        return {"s": 1}

    def __setstate__(self, state):
        self.restored = state


print(pickle.loads(pickle.dumps(Reduced(1))).a, pickle.loads(pickle.dumps(State())).restored)
print(pickle.loads(pickle.dumps(collections.deque([1]))), pickle.loads(pickle.dumps(Pt)) is Pt)
print(marshal.loads(marshal.dumps({"k": (1, 2.5, b"x", None)})))
code = marshal.loads(marshal.dumps(compile("40 + 2", "<m>", "eval")))
print(eval(code))
packed = struct.pack("<iHd4s", -1, 65535, 1.5, b"ab")
print(packed, struct.unpack("<iHd4s", packed), struct.calcsize("!3sI"), struct.Struct(">h").pack(2))
try:
    struct.pack("h", 10 ** 6)
except struct.error as e:
    print("struct.error:", e)
