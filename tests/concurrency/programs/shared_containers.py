"""Many threads hammer one list, dict, set, deque, instance and class; counts must be exact."""
import collections
import sys
import threading

THREADS = 8
N = 5000

shared_list = []
shared_dict = {}
grouped = {}
shared_set = set()
shared_deque = collections.deque()
popped_from_deque = []
counter_lock = threading.Lock()
counter = 0


class Box:
    pass


box = Box()


class Registry:
    pass


to_pop = list(range(THREADS * N))
popped = []
start = threading.Barrier(THREADS)


def hammer(index):
    global counter
    start.wait()
    for i in range(N):
        shared_list.append(i)
        shared_dict[index, i] = i
        grouped.setdefault(i % 7, []).append(i)
        shared_set.add((index, i))
        shared_deque.append(i)
        setattr(box, f"a{index}_{i}", i)
        with counter_lock:
            counter += 1
        if i % 10 == 0:
            setattr(Registry, f"c{index}_{i}", i)
        try:
            popped_from_deque.append(shared_deque.popleft())
        except IndexError:
            pass
        try:
            popped.append(to_pop.pop())
        except IndexError:
            pass
        shared_dict.pop((index, i - 1), None)


threads = [threading.Thread(target=hammer, args=(k,)) for k in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

total = THREADS * N
assert len(shared_list) == total, len(shared_list)
assert sorted(shared_list) == sorted(list(range(N)) * THREADS)
assert len(shared_dict) == THREADS, len(shared_dict)
assert sum(len(v) for v in grouped.values()) == total
assert len(shared_set) == total
assert len(popped_from_deque) + len(shared_deque) == total
assert sorted(popped_from_deque + list(shared_deque)) == sorted(list(range(N)) * THREADS)
assert len(vars(box)) == total
assert counter == total
assert sum(1 for name in vars(Registry) if name.startswith("c")) == THREADS * (N // 10)
assert sorted(popped + to_pop) == list(range(total))
print("shared containers: exact", total, file=sys.stdout)
