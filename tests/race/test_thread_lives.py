"""How long the race detector counts a thread as live (gilless.race.detector's
`_LastSteps`): from its start until the host lets go of its thread-locals as it ends,
whatever the host's collector does meanwhile."""

import gc
import threading

from gilless.race import detector


def run_marked(token, while_running):
    """Mark `token`'s thread as the detector does as it begins, in a thread that calls
    `while_running` before it ends."""
    ready, finish = threading.Event(), threading.Event()

    def body():
        detector._LastSteps.mark(token)
        ready.set()
        finish.wait()

    thread = threading.Thread(target=body)
    thread.start()
    ready.wait()
    try:
        while_running()
    finally:
        finish.set()
        thread.join()


def test_a_collection_does_not_end_a_running_thread():
    token = detector.ThreadToken(99, [0], None, None, None)
    seen = []
    run_marked(token, lambda: (gc.collect(), seen.append(list(token.last_steps))))
    # While it ran, both of its steps were to come (a collection had freed the
    # thread-local of the first); as it ended, the host let go of the first.
    assert seen == [[2]]
    assert token.last_steps == [1]


def test_a_collection_under_the_detectors_lock_does_not_hang():
    # A collection that frees a thread-local holding a thread's last steps while this
    # thread holds the lock their finalizer takes (`module_executed` allocates under it).
    token = detector.ThreadToken(98, [0], None, None, None)
    token.last_steps = [2]
    done = []

    def collect_under_lock():
        local = detector._host_local()
        local.steps = detector._LastSteps(token.last_steps)
        local.itself = local  # (garbage only the collector finds, once let go)
        del local
        with detector._tid_lock:
            gc.collect()
        done.append(True)

    checker = threading.Thread(target=collect_under_lock, daemon=True)
    checker.start()
    checker.join(30)
    assert done == [True]
    assert token.last_steps == [1]
