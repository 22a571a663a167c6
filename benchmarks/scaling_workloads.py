"""Workloads of the thread scaling benchmark (`python -m benchmarks.scaling`).

This file is a plain program, run as it is by the host CPython and by
gilless (in both modes), so the three measure exactly the same code:
`scaling_workloads.py WORKLOAD THREADS UNITS`. Each of THREADS threads does
UNITS units of work (weak scaling: the work grows with the threads), and
only the threaded part is timed. It prints one JSON line: the workload, the
thread count, the wall-clock and process CPU seconds, and the operations
done (CPU seconds over wall seconds is how many threads really ran at
once). Each workload checks its result, so a lost update shows as a
failure rather than as a fast time. The `pyperformance` workload's programs
are loaded by `scaling_pyperformance.py`, beside this file, only when it
runs; each thread makes its own state before the timing starts.
"""

import json
import queue
import resource
import sys
import threading
import time


class Vector:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def norm1(self):
        return abs(self.x) + abs(self.y)


def cpu(units, _shared):
    """Independent CPU-bound work: calls, arithmetic, allocation, all thread-local."""
    position = Vector(0, 0)
    step = Vector(1, -2)
    checksum = 0
    for i in range(units):
        position = position.add(step)
        checksum = (checksum * 31 + position.norm1() + (i & 7)) % 1000003
        if i % 4 == 0:
            checksum ^= len((i, checksum, "x"))
    return units


TABLE = {f"key{i}": i % 200 for i in range(1000)}
KEYS = tuple(TABLE)
POINTS = tuple(Vector(i % 50, -(i % 30)) for i in range(100))


def shared_read(units, _shared):
    """Read-mostly work on one shared dict and shared objects."""
    table, keys, points = TABLE, KEYS, POINTS
    total = 0
    for i in range(units):
        point = points[i % 100]
        total += table[keys[i % 1000]] + point.x + point.norm1()
    return units


def list_append(units, shared):
    """Appends to one shared list (each append is atomic: the count is checked)."""
    append = shared.append
    for i in range(units):
        append(i)
    return units


def _consume(jobs, units):
    for _ in range(units):
        jobs.get()


def producer_consumer(units, shared):
    """A producer/consumer pair per thread count, all on one queue.Queue."""
    consumer = threading.Thread(target=_consume, args=(shared, units))
    consumer.start()
    for i in range(units):
        shared.put(i)
    consumer.join()
    return units


def _pyperformance_module():
    # This file's directory is sys.path[0], under the host and under gilless.
    import scaling_pyperformance
    return scaling_pyperformance


def pyperformance(units, state):
    """Each thread runs its own copy of pyperformance programs (see scaling_pyperformance.py)."""
    return _pyperformance_module().rounds(units, state)


WORKLOADS = {"cpu": cpu, "shared_read": shared_read, "list_append": list_append,
             "queue": producer_consumer, "pyperformance": pyperformance}
# Their shared_state runs the work once, untimed: no separate warm-up.
WARMED_UP_BY_SHARED_STATE = {"pyperformance"}


def shared_state(workload):
    if workload == "pyperformance":
        return _pyperformance_module().reference_results()
    return queue.Queue() if workload == "queue" else []


def thread_state(workload, shared):
    """What one thread works on, made by that thread before the timing starts."""
    if workload == "pyperformance":
        return _pyperformance_module().thread_copies(shared)
    return shared


def main(argv):
    workload, threads, units = argv[0], int(argv[1]), int(argv[2])
    function = WORKLOADS[workload]
    shared = shared_state(workload)
    if workload not in WARMED_UP_BY_SHARED_STATE:
        function(max(units // 50, 1), shared_state(workload))  # warm up outside the timing
    done = []
    starts = []
    # The clocks start when the last thread reaches the start line, before any goes on:
    # read by the main thread after its wait, they could start after the work, when the
    # threads outnumber the cores and the main thread is the one left waiting for one.
    start_line = threading.Barrier(threads + 1, action=lambda: starts.append(
        (time.perf_counter(), time.process_time())))

    def run():
        try:
            state = thread_state(workload, shared)
        except BaseException:
            start_line.abort()  # the main thread fails at the start line instead of waiting
            raise
        start_line.wait()
        done.append(function(units, state))

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    start_line.wait()
    started, cpu_started = starts[0]
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    operations = sum(done)
    if operations != threads * units:
        raise SystemExit(f"{workload}: {operations} operations done, {threads * units} expected")
    if workload == "list_append" and len(shared) != operations:
        raise SystemExit(f"list_append: lost appends ({len(shared)} of {operations})")
    # Peak resident memory of the whole process (KiB on Linux).
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"workload": workload, "threads": threads, "seconds": seconds,
                      "cpu_seconds": cpu_seconds, "operations": operations,
                      "max_rss_kib": max_rss_kib}))


if __name__ == "__main__":
    main(sys.argv[1:])
