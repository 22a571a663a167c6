# type(): C3 MRO, metaclass conflicts, __init_subclass__, __set_name__, __class_getitem__, __slots__.


class O: pass
class A(O): pass
class B(O): pass
class C(O): pass
class D(O): pass
class E(O): pass
class K1(A, B, C): pass
class K2(D, B, E): pass
class K3(D, A): pass
class Z(K1, K2, K3): pass


print([k.__name__ for k in Z.__mro__])
try:
    class Bad(A, O, B): pass
    class Worse(O, A): pass
except TypeError as e:
    print("TypeError:", e)


class M1(type): pass
class M2(type): pass
class X1(metaclass=M1): pass
class X2(metaclass=M2): pass


try:
    class Both(X1, X2): pass
except TypeError as e:
    print("TypeError:", e)


class M3(M1): pass
class X3(metaclass=M3): pass
class Fine(X1, X3): pass


print(type(Fine).__name__)


class Plugin:
    registry = []

    def __init_subclass__(cls, /, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.registry.append(cls.plugin_name)


class Alpha(Plugin, name="alpha-plugin"): pass
class Beta(Plugin): pass


print(Plugin.registry, Beta.plugin_name)
try:
    class Gamma(Plugin, unknown=1): pass
except TypeError as e:
    print("TypeError:", e)


class Field:
    def __set_name__(self, owner, name):
        self.owner, self.name = owner.__name__, name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return f"{self.owner}.{self.name} of {type(obj).__name__}"


class Model:
    title = Field()
    body = Field()


print(Model().title, Model.body.name)


class Box:
    def __class_getitem__(cls, item):
        return f"Box[{item.__name__ if isinstance(item, type) else item}]"


print(Box[int], Box["x"], list[int], dict[str, list[int]], type(list[int]).__name__)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1


s = Slotted()
print(s.a, hasattr(s, "__dict__"), Slotted.a.__class__.__name__)
try:
    s.c = 3
except AttributeError as e:
    print("AttributeError:", e)
try:
    s.b
except AttributeError as e:
    print("AttributeError:", e)


class SlotChild(Slotted):
    pass


sc = SlotChild()
sc.c = 5
print(sc.c, sorted(vars(sc)))
try:
    class Conflict:
        __slots__ = ("x",)
        x = 1
except ValueError as e:
    print("ValueError:", e)
Dyn = type("Dyn", (A,), {"v": 1, "m": lambda self: self.v + 1})
print(Dyn().m(), Dyn.__name__, Dyn.__bases__, Dyn.__module__)
print(type.__name__, type(type), object.__bases__, type.__mro__, int.__mro__)
print(type(3) is int, type("T", (), {}).__qualname__)
try:
    type("X", (bool,), {})
except TypeError as e:
    print("TypeError:", e)
try:
    class Final(int, str): pass
except TypeError as e:
    print("TypeError:", e)
print(A.__subclasses__(), O.__subclasses__()[0].__name__)


class WithNew:
    def __new__(cls, *args):
        obj = super().__new__(cls)
        obj.args = args
        return obj


print(WithNew(1, 2).args)


class Singleton:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance


print(Singleton() is Singleton())
import abc


class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self): ...


try:
    Shape()
except TypeError as e:
    print("TypeError:", e)


class Sq(Shape):
    def area(self):
        return 4


print(Sq().area(), isinstance(Sq(), Shape), Shape.__abstractmethods__)
Shape.register(int)
print(isinstance(3, Shape), issubclass(bool, Shape))
