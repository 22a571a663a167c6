# expect: no race
# concurrent.futures.ProcessPoolExecutor: its manager thread reads the executor's
# shutdown flags, which shutdown() sets from the main thread, once woken through a pipe.
import concurrent.futures


def square(n):
    return n * n


if __name__ == "__main__":
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        print(sum(executor.map(square, range(20))))
