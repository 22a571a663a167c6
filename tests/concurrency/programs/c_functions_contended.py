"""Four threads on one heap through heapq, and four encoding one dict and one list as
JSON while changing them, many times over: the process never crashes (free-threaded
CPython 3.13 itself does, where gilless gives the guest the pure-Python code while it
runs threads), and each thread gets a value or the exception the pure-Python code
raises."""
import heapq
import json
import threading

THREADS = 4


def together(work, steps):
    start = threading.Barrier(THREADS)
    errors = set()

    def run(index):
        start.wait()
        for step in range(steps):
            try:
                work(index, step)
            # (Another thread emptied the heap, or changed what was being encoded.)
            except (IndexError, RuntimeError) as error:
                errors.add(type(error).__name__)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


heap = list(range(1000))


def use_heap(index, step):
    if len(heap) < 10:
        heap.extend(range(1000))
    heapq.heappush(heap, step)
    heapq.heappop(heap)
    heapq.heappop(heap)


errors = together(use_heap, 4000)
assert errors <= {"IndexError"}, errors
assert all(isinstance(value, int) for value in heap)
print("heapq without a crash")

table = {key: [key] for key in range(20)}
rows = [[key] for key in range(20)]


def encode(index, step):
    table[step % 40] = [step]
    table.pop((step + 20) % 40, None)
    rows.append([step])
    rows.pop(0)
    for text in (json.dumps(table), json.dumps(rows)):
        decoded = json.loads(text)
        assert all(len(value) == 1 for value in
                   (decoded.values() if isinstance(decoded, dict) else decoded)), text


errors = together(encode, 3000)
assert errors <= {"RuntimeError"}, errors
print("json without a crash")
