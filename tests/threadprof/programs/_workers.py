"""What the programs beside this file share: run `worker(out, index)` in two threads."""
import threading


def run_two(worker):
    """Run worker(out, 0) and worker(out, 1) in two threads; the sum of what they left."""
    out = [0, 0]
    threads = [threading.Thread(target=worker, args=(out, i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(out)
