# A thread pool maps a function; results come back in order.
from concurrent.futures import ThreadPoolExecutor


def square(value):
    return value * value


with ThreadPoolExecutor(max_workers=2) as pool:
    results = list(pool.map(square, range(5)))
assert results == [0, 1, 4, 9, 16], results
print(results)
