# expect: no race
# A multiprocessing.Pool's worker processes answer through a pipe that no thread of
# this process writes into: the result handler thread, which reads the answers, sees
# what the main thread did before it handed the tasks to the task handler thread,
# which wrote them to the workers (the results' objects the main thread made).
import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    collected = []
    with multiprocessing.get_context("fork").Pool(2) as pool:
        print(pool.map(square, range(6)))
        pending = pool.apply_async(square, (7,), callback=collected.append)
        print(pending.get(timeout=60), collected)
