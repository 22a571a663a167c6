# modes: default, gil, race
# heapq and the JSON encoder give CPython's results and errors, alone and in threads, on
# hosts where gilless hands the guest their pure-Python code while it runs threads.
import heapq
import json
import pickle
import sys
import threading
import traceback


def work(label):
    heap = []
    for value in (5, 1, 4, 1, 5, 9, 2, 6):
        heapq.heappush(heap, value)
    popped = [heapq.heappop(heap), heapq.heapreplace(heap, 3), heapq.heappushpop(heap, 0)]
    other = [7, 3, 8, 1]
    heapq.heapify(other)
    print(label, "heapq:", popped, sorted(heap), other, heapq.nsmallest(2, [4, 2, 8]))
    data = {"b": [1, 2.5, None, True], "a": {"nested": "é"}, "3": float("inf"), 4: -0.0}
    print(label, "json:", json.dumps(data), json.dumps(data, ensure_ascii=False),
          json.dumps({"b": 1, "a": [2]}, sort_keys=True),
          json.dumps([1, [2, {}]], separators=(",", ":")), json.dumps({"x": 1}, indent=2))
    for bad in (float("nan"), {(1, 2): 3}, object()):
        try:
            json.dumps(bad, allow_nan=False)
        except (ValueError, TypeError) as error:
            print(label, "json error:", type(error).__name__, str(error).split(" at 0x")[0])
    print(label, "json skipkeys:", json.dumps({(1, 2): 3, "k": 4}, skipkeys=True))


work("main")
# What only the main thread sees as in CPython: the C functions' own errors and names.
for call in (lambda: heapq.heappush([]), lambda: heapq.heappop([]),
             lambda: heapq.heappush((), 1), lambda: heapq.heapify(heap=[])):
    try:
        call()
    except (TypeError, IndexError):
        print("".join(traceback.format_exception_only(*sys.exc_info()[:2])).strip())
        print("frames:", len(traceback.extract_tb(sys.exc_info()[2])))
print(heapq.heappush.__name__, heapq.heappush.__module__, heapq.heappush.__qualname__,
      heapq.heappush.__doc__.splitlines()[0])
print(pickle.loads(pickle.dumps(heapq.heappush)) is heapq.heappush)
try:
    json.encoder.c_make_encoder(None)
except TypeError as error:
    print("make_encoder:", error)
calls = []


def profiler(frame, event, arg):
    if event == "c_call" and arg.__name__ in ("heappush", "heappop"):
        calls.append(arg.__name__)


sys.setprofile(profiler)
heapq.heappop([1]), heapq.heappush([], 1)
sys.setprofile(None)
print("profiled:", calls)

threads = [threading.Thread(target=work, args=(f"thread {i}",)) for i in range(2)]
for thread in threads:
    thread.start()
    thread.join()
