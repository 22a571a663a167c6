"""Iterating or sorting a container while another thread changes it.

CPython's guarantees: a dict or set changed during iteration raises RuntimeError,
`list.sort` raises ValueError when the list is changed while it sorts (and keeps
its own elements, sorted), and nothing else ever happens (no crash, no internal error, no lost element). The
first part forces each case with a handshake, so the outcome is the same on every
host; the second lets threads race freely and accepts only those outcomes.
"""
import threading

changed = threading.Event()
proceed = threading.Event()


def mutate_when_asked(mutation):
    proceed.wait(10)
    mutation()
    changed.set()


def forced(name, container, mutation, iterate):
    changed.clear()
    proceed.clear()
    other = threading.Thread(target=mutate_when_asked, args=(mutation,))
    other.start()
    try:
        iterate(container)
        print(name, "finished without noticing")
    except (RuntimeError, ValueError) as error:
        print(name, type(error).__name__, error)
    other.join()


def iterate_with_handshake(container):
    for _ in container:
        if not proceed.is_set():
            proceed.set()
            changed.wait(10)


def sort_with_handshake(items):
    def key(value):
        if not proceed.is_set():
            proceed.set()
            changed.wait(10)
        return value
    items.sort(key=key)


shared_dict = {i: i for i in range(10)}
forced("dict", shared_dict, lambda: shared_dict.__setitem__("new", 1), iterate_with_handshake)
shared_set = set(range(10))
forced("set", shared_set, lambda: shared_set.add("new"), iterate_with_handshake)
shared_list = list(range(10, 0, -1))
forced("list.sort", shared_list, lambda: shared_list.append(0), sort_with_handshake)
# As in CPython, the list holds its own elements, sorted; what was added while it sorted is gone.
print("list after the failed sort:", shared_list)

# Free racing: only the documented outcomes are allowed.
ROUNDS = 300
racing = {i: i for i in range(50)}
racing_set = set(range(50))
racing_list = list(range(200))
outcomes = {"RuntimeError": 0, "ValueError": 0}
unexpected = []
stop = threading.Event()


def mutator():
    i = 0
    while not stop.is_set():
        racing[1000 + i % 7] = i
        racing.pop(1000 + (i + 3) % 7, None)
        racing_set.add(1000 + i % 7)
        racing_set.discard(1000 + (i + 3) % 7)
        racing_list.append(i)
        racing_list.pop()
        i += 1


def reader():
    for _ in range(ROUNDS):
        for action in (lambda: sum(1 for _ in racing), lambda: sum(1 for _ in racing_set),
                       lambda: sorted(racing_list), lambda: racing_list.copy().sort(),
                       lambda: list(racing.items())):
            try:
                action()
            except RuntimeError as error:
                # "changed size", or on a free-threaded host "keys changed", during iteration.
                if "changed" not in str(error) or "during iteration" not in str(error):
                    unexpected.append(repr(error))
                outcomes["RuntimeError"] += 1
            except Exception as error:
                unexpected.append(repr(error))


threads = [threading.Thread(target=mutator)] + [threading.Thread(target=reader) for _ in range(2)]
for t in threads[1:]:
    t.start()
threads[0].start()
for t in threads[1:]:
    t.join()
stop.set()
threads[0].join()
print("racing: unexpected outcomes:", unexpected)
print("racing: dict keys intact:", all(racing[i] == i for i in range(50)))
print("racing: list intact:", racing_list == list(range(200)))
