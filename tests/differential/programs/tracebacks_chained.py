def f(x):
    return g(x) + 1


def g(x):
    return x["key"]


try:
    f({})
except KeyError as e:
    raise ValueError("bad") from e
