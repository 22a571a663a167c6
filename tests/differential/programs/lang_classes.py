# Classes, metaclasses, zero-argument super, decorators on classes.


class Meta(type):
    def __new__(mcls, name, bases, namespace, **kwargs):
        namespace["created_by"] = mcls.__name__
        cls = super().__new__(mcls, name, bases, namespace)
        cls.options = kwargs
        return cls

    def __call__(cls, *args, **kwargs):
        print("Meta.__call__", cls.__name__, args)
        return super().__call__(*args, **kwargs)

    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        print("prepare", name, sorted(kwargs))
        return {"prepared": True}


class Base(metaclass=Meta, flavour="x"):
    def __init__(self, value):
        self.value = value

    def describe(self):
        return f"Base({self.value})"


class Child(Base):
    def __init__(self, value, extra):
        super().__init__(value)
        self.extra = extra

    def describe(self):
        return "Child<" + super().describe() + f", {self.extra}>"


c = Child(1, 2)
print(c.describe(), Child.created_by, Child.prepared, Base.options, Child.options)
print(type(Child).__name__, Child.__mro__[1].__name__, Child.__qualname__)


def add_repr(cls):
    cls.__repr__ = lambda self: f"<{cls.__name__} {vars(self)}>"
    return cls


@add_repr
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


print(repr(Point(1, 2)))


class A:
    def who(self):
        return ["A"]


class B(A):
    def who(self):
        return ["B"] + super().who()


class C(A):
    def who(self):
        return ["C"] + super().who()


class D(B, C):
    def who(self):
        return ["D"] + super().who()


print(D().who(), [k.__name__ for k in D.mro()])


class Outer:
    class Inner:
        def method(self):
            return __class__.__qualname__

    def get(self):
        return self.Inner().method()


print(Outer().get())


class WithClassVars:
    count = 0

    def __init__(self):
        type(self).count += 1

    @staticmethod
    def s(x):
        return x * 2

    @classmethod
    def make(cls):
        return cls()

    @property
    def doubled(self):
        return self.count * 2

    @doubled.setter
    def doubled(self, value):
        type(self).count = value // 2


w = WithClassVars.make()
WithClassVars()
print(WithClassVars.count, w.s(4), w.doubled)
w.doubled = 10
print(WithClassVars.count)
try:
    super(int, "x")
except TypeError as e:
    print("TypeError:", e)


class Noarg:
    def f():
        return super()


try:
    Noarg.f()
except RuntimeError as e:
    print("RuntimeError:", e)
print(Child.__dict__["describe"].__qualname__, Child.__module__)
print(vars(Child(3, 4)), type(Child(3, 4)).__mro__)
