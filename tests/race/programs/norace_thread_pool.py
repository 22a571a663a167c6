# expect: no race
# multiprocessing.pool.ThreadPool: its handler threads poll their `_state`, which the
# pool sets from the main thread to stop them; results come back through queues.
from multiprocessing.pool import ThreadPool


def square(n):
    return n * n


with ThreadPool(3) as pool:
    print(sum(pool.map(square, range(50))))
    print(pool.apply_async(square, (7,)).get())
