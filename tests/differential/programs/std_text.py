# re, string, textwrap, functools, itertools, heapq, bisect, operator, contextlib.
import bisect
import contextlib
import functools
import heapq
import itertools
import re
import string
import textwrap

m = re.match(r"(?P<word>\w+)\s+(\d+)", "hello 42 world")
print(m.group(0), m.group("word"), m.groups(), m.span(2), m.groupdict(), repr(m)[:40])
print(re.sub(r"(\d)", r"<\1>", "a1b2"), re.split(r"[,;]\s*", "a, b;c"), re.findall(r"(a)(b)?", "ab a"))
print(re.sub(r"x", lambda mo: mo.group().upper(), "axbx"), re.escape("a.b*c"), re.fullmatch(r"\d+", "123") is not None)
pattern = re.compile(r"^(\w+)@(\w+)\.com$", re.IGNORECASE | re.MULTILINE)
print(pattern.findall("Bob@Example.com\nx@y.com"), pattern.flags & re.IGNORECASE, [mo.start() for mo in re.finditer("a", "banana")])
try:
    re.compile("(unclosed")
except re.error as e:
    print("re.error:", e, e.pos)
print(string.ascii_letters[:5], string.digits, string.punctuation[:5], string.capwords("hello big world"))
print(string.Template("$who likes ${what}").substitute(who="tim", what="kung pao"))
print(string.Formatter().format("{0}-{x}", 1, x=2))
text = "The quick brown fox jumps over the lazy dog " * 3
print(textwrap.fill(text, 30))
print(textwrap.dedent("    a\n      b\n    c"), textwrap.shorten(text, 25), textwrap.indent("x\ny", "> "))


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(80), fib.cache_info())
double = functools.partial(lambda a, b: a * b, 2)
print(double(21), functools.reduce(lambda a, b: a + b, [1, 2, 3], 10), repr(functools.partial(max, 1))[:30])


@functools.singledispatch
def kind(arg):
    return "object"


@kind.register
def _(arg: int):
    return "int"


@kind.register(list)
def _(arg):
    return "list"


print(kind(1), kind([]), kind("s"), kind(True))


def deco(f):
    @functools.wraps(f)
    def wrapper(*a):
        return f(*a)
    return wrapper


@deco
def documented():
    """Docs."""


print(documented.__name__, documented.__doc__, documented.__wrapped__.__name__)
print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.chain("ab", "cd")), list(itertools.combinations("abc", 2)))
print(list(itertools.permutations([1, 2, 3], 2))[:4], list(itertools.product("ab", repeat=2)), list(itertools.repeat(7, 3)))
print([(k, list(g)) for k, g in itertools.groupby("aaabbc")], list(itertools.zip_longest("ab", "xyz", fillvalue="-")))
print(list(itertools.starmap(pow, [(2, 3), (3, 2)])), list(itertools.takewhile(lambda v: v < 3, range(10))),
      list(itertools.compress("abcd", [1, 0, 1, 0])), list(itertools.pairwise("abcd")), list(itertools.islice(itertools.count(5, 5), 3)))
a, b = itertools.tee(iter(range(3)))
print(list(a), list(b), list(itertools.islice(itertools.cycle("xy"), 5)), list(itertools.filterfalse(None, [0, 1, 0])))
heap = []
for v in [5, 1, 8, 3, 2]:
    heapq.heappush(heap, v)
print([heapq.heappop(heap) for _ in range(3)], heapq.nlargest(2, [5, 1, 8]), heapq.nsmallest(2, [5, 1, 8]), list(heapq.merge([1, 4], [2, 3])))
data = [1, 3, 3, 5, 7]
print(bisect.bisect_left(data, 3), bisect.bisect_right(data, 3), bisect.bisect(data, 4))
bisect.insort(data, 4)
print(data, bisect.bisect_left(data, 5, key=None))


@contextlib.contextmanager
def managed(log):
    log.append("enter")
    try:
        yield len(log)
    except KeyError:
        log.append("handled")
    finally:
        log.append("exit")


log = []
with managed(log) as n:
    raise KeyError
print(log, n)
with contextlib.suppress(ZeroDivisionError):
    1 / 0
with contextlib.ExitStack() as stack:
    for i in range(3):
        stack.callback(print, "callback", i)
buffer = __import__("io").StringIO()
with contextlib.redirect_stdout(buffer):
    print("captured")
print(repr(buffer.getvalue()), contextlib.nullcontext(5).__enter__())


class Closing:
    def close(self):
        print("closed")


with contextlib.closing(Closing()):
    pass
