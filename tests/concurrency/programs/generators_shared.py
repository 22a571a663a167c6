"""A generator advanced from a second thread while the first runs it: ValueError."""
import threading

inside = threading.Event()
go_on = threading.Event()


def blocking_generator():
    yield 1
    inside.set()
    go_on.wait(10)
    yield 2


gen = blocking_generator()
assert next(gen) == 1
results = []
runner = threading.Thread(target=lambda: results.append(next(gen)))
runner.start()
assert inside.wait(10)
try:
    next(gen)
except ValueError as error:
    print("second thread:", error)
go_on.set()
runner.join()
print("first thread got", results)
