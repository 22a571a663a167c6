# modes: default, gil
# A multiprocessing pool's `with` block ends: in the GIL mode, the waits on its
# semaphores release the GIL, which the pool's own threads need to let them go.
import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    with multiprocessing.get_context("fork").Pool(2) as pool:
        print(pool.map(square, range(10)))
        print(pool.apply_async(square, (7,)).get(timeout=30))
    print("pool closed")
