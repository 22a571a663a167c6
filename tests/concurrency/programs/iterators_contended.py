"""Four threads draining one shared itertools iterator (workers taking combinations
from one `product`, servers handed out in turn by one `cycle`, groups from one
`groupby`), two reading the two iterators of one `tee`, and four taking rows from one
`csv.reader` of a list: the process never crashes (free-threaded CPython 3.13 itself does, where
gilless locks each of these objects around its `__next__`), and every item is handed out
exactly once."""
import csv
import itertools
import operator

from startedtogether import together

THREADS = 4


def drain(iterator):
    """How many items the threads took between them, and how many distinct ones."""
    taken = [[] for _ in range(THREADS)]

    def run(index):
        for item in iterator:
            taken[index].append(item)

    together(run, THREADS)
    items = [item for mine in taken for item in mine]
    return len(items), len(set(items))


class Numbers:
    """An iterator of the program's own: its `__next__` runs in whichever thread the
    itertools object is advanced in."""

    def __init__(self, count):
        self.left = iter(range(count))

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.left)


# Their `__next__` runs no Python code: each call is whole in CPython with a GIL too.
makers = {
    "product": lambda: itertools.product(range(40), repeat=3),
    "permutations": lambda: itertools.permutations(range(12), 4),
    "combinations": lambda: itertools.combinations(range(60), 3),
    "combinations_with_replacement":
        lambda: itertools.combinations_with_replacement(range(50), 3),
    "pairwise": lambda: itertools.pairwise(range(60000)),
    "zip_longest": lambda: itertools.zip_longest(range(60000), range(30000)),
    "accumulate": lambda: itertools.accumulate(range(60000)),
    "accumulate with operator.xor": lambda: itertools.accumulate(range(1, 30000), operator.xor),
}
for name, make in makers.items():
    for _ in range(3):
        total, distinct = drain(make())
    print(f"{name}: {total} items, {distinct} distinct")

# Theirs runs the program's code, during which CPython with a GIL may switch to another
# thread advancing the same object: what each thread gets then depends on the timing.
# (A `zip_longest` of such an iterator can then count an exhausted iterator twice and
# never end, with a GIL: not here.)
for name, make in {
        "pairwise of a Python iterator": lambda: itertools.pairwise(Numbers(30000)),
        "accumulate with a Python function":
            lambda: itertools.accumulate(range(30000), lambda total, value: total + value),
}.items():
    for _ in range(3):
        drain(make())
    print(f"{name}: drained")

# Two threads, each reading its own of two `tee` iterators, which share their items.
for _ in range(3):
    split = itertools.tee(range(100000))
    read = [None, None]

    def read_one(index):
        read[index] = sum(split[index])

    together(read_one, 2)
print("tee, one iterator each:", read)
print("tee, one iterator for all: %d items, %d distinct" % drain(itertools.tee(range(60000))[1]))

# Threads taking groups from one `groupby` and reading them: a group reads the
# `groupby` object's iterator, and ends early where another thread has moved it on.
grouped = itertools.groupby([index // 3 for index in range(90000)])
keys = [[] for _ in range(THREADS)]


def take_groups(index):
    for key, group in grouped:
        keys[index].append(key)
        list(group)


together(take_groups, THREADS)
every_key = [key for mine in keys for key in mine]
print(f"groupby: {len(every_key)} keys, {len(set(every_key))} distinct")

servers = itertools.cycle(["a", "b", "c"])
first_pass = itertools.cycle(Numbers(7))
counts = [{} for _ in range(THREADS)]


def hand_out(index):
    for _ in range(30000):
        server = next(servers)
        counts[index][server] = counts[index].get(server, 0) + 1
        assert 0 <= next(first_pass) < 7


together(hand_out, THREADS)
print("cycle:", {server: sum(mine.get(server, 0) for mine in counts)
                 for server in "abc"})


def read_rows(reader):
    """How many rows the threads took from `reader` between them, how many distinct ones,
    and the reader's line number once they have finished."""
    taken = [[] for _ in range(THREADS)]

    def run(index):
        for row in reader:
            taken[index].append(int(row[0]))

    together(run, THREADS)
    numbers = [number for mine in taken for number in mine]
    return len(numbers), len(set(numbers)), reader.line_num


# (A reader of an iterator of the program's crashes with a GIL too, CPython 3.11 and the
# GIL mode, which switch threads while its `__next__` runs: docs/hosts.md.)
lines = [f"{number},{'x' * (number % 40)},\"a, b\"\n" for number in range(60000)]
print("csv.reader: %d rows, %d distinct, line %d" % read_rows(csv.reader(lines)))
