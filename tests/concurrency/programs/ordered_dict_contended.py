"""Four threads changing one shared `OrderedDict` (a cache each keeps its own keys in,
keys taken from one end and put back at the other, readers copying and comparing it
while others store and delete): the process never crashes (free-threaded CPython 3.13
itself does, or loops for ever in `move_to_end`, where gilless locks the object in each
method that reads or changes its order), and the order of the keys stays whole."""
from collections import OrderedDict

from startedtogether import together

THREADS = 4
ROUNDS = 5000


def whole(mapping):
    """Whether the order of the keys holds each key once, forwards and backwards."""
    keys = list(mapping)
    return (len(keys) == len(mapping) == len(set(keys)) == len(dict.keys(mapping))
            and keys == list(mapping.keys()) == list(reversed(list(reversed(mapping))))
            and set(keys) == set(dict.keys(mapping)))


def own_keys():
    # Each thread's keys, used as an LRU cache: their order among themselves is the
    # thread's own doing, whatever the others do with theirs.
    cache = OrderedDict()

    def run(index):
        for n in range(ROUNDS):
            key = (index, n % 300)
            if key in cache:
                cache.move_to_end(key, last=bool(n % 5))
            cache[key] = n
            cache.pop((index, n * 7 % 300), None)

    together(run, THREADS)
    orders = [[key[1] for key in cache if key[0] == index] for index in range(THREADS)]
    print("own keys:", whole(cache), [(len(order), sum(place * key for place, key
                                                      in enumerate(order)))
                                      for order in orders])


def shared_keys():
    # Keys taken from either end and put back, moved to either end, by every thread.
    shared = OrderedDict.fromkeys(range(100))

    def run(index):
        for n in range(ROUNDS):
            try:
                shared.move_to_end(n % 100, last=bool(n & 1))
            except KeyError:
                # Taken out by another thread, which puts it back.
                pass
            key, value = shared.popitem(last=bool(index & 1))
            shared[key] = value

    together(run, THREADS)
    print("shared keys:", whole(shared), sorted(shared) == list(range(100)))


def readers_and_writers():
    # Two threads storing and deleting, two copying, comparing and printing it.
    mapping = OrderedDict.fromkeys(range(50))
    failures = []

    def run(index):
        for n in range(ROUNDS // 4):
            if index < 2:
                mapping[n % 150 + 100] = n
                mapping.pop((n * 3) % 150 + 100, None)
                continue
            try:
                copied = mapping.copy()
                if not whole(copied):
                    failures.append("copy")
                list(mapping.items())
                mapping == copied
                repr(mapping.keys())
                mapping.keys() & {1, 2}
                list(reversed(mapping.values()))
            except RuntimeError:
                # Changed during the iteration: CPython says so as well.
                pass

    together(run, THREADS)
    print("readers and writers:", whole(mapping), failures)


own_keys()
shared_keys()
readers_and_writers()
