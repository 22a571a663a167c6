"""What the programs that run threads on one shared object share (imported by them,
from their directory; no program itself)."""
import threading


def together(run, count):
    """`run(index)` in `count` threads started together; when all have finished."""
    start = threading.Barrier(count)

    def started(index):
        start.wait()
        run(index)

    threads = [threading.Thread(target=started, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
