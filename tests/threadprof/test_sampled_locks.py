"""A lock taken often is sampled: its operations are mostly the host's C methods, its
acquisitions still counted exactly, its waits and holds timed in windows (see
gilless.instrument.sync.LockCounts); a lock taken seldom is counted in full."""

import _thread
import json
import os
import textwrap

import pytest

from conftest import run_gilless
from test_causes import PROGRAMS

# Two threads hammer a Lock and an RLock, through `with`, acquire/release and the
# Conditions over them, long enough for both to be sampled; the program prints the
# acquisitions it made.
MIXED = textwrap.dedent("""\
    import threading

    N = 60_000
    THREADS = 2
    lock = threading.Lock()
    rlock = threading.RLock()
    cond = threading.Condition(lock)
    rcond = threading.Condition(rlock)
    start = threading.Barrier(THREADS)
    entered = set()


    def worker():
        start.wait()
        for i in range(N):
            with lock as value:
                entered.add(value)
            lock.acquire()
            lock.release()
            with rlock:
                with rlock as value:
                    entered.add(value)
            rlock.acquire()
            rlock.release()
            if not i % 64:
                with cond:           # 2: the entry, and the wait's release
                    cond.wait(0)
                with rcond:          # 2: the entry, and the wait's re-acquire
                    rcond.wait(0)
                with cond:
                    cond.notify()


    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rare = len(range(0, N, 64))
    print(THREADS * (2 * N + 3 * rare), THREADS * (3 * N + 2 * rare), entered)
""")

# A sampled lock released while unlocked raises what CPython raises, from the program's
# line, whichever methods the lock has at the time.
UNLOCKED = textwrap.dedent("""\
    import threading
    import traceback

    lock = threading.Lock()
    errors = set()
    for i in range(200_000):
        with lock:
            pass
        if not i % 1000:
            try:
                lock.release()
            except RuntimeError as error:
                frames = traceback.extract_tb(error.__traceback__)
                errors.add((str(error), tuple(f.filename for f in frames)))
    print(errors == {("release unlocked lock", (__file__,))}, len(errors))
""")


def profile_of(tmp_path, source):
    program = tmp_path / "program.py"
    program.write_text(source)
    output = tmp_path / "profile.json"
    result = run_gilless("-X", f"threadprof={output}", str(program), cwd=str(tmp_path),
                         timeout=300)
    assert result.returncode == 0, result.stderr
    return result, json.loads(output.read_text())


def test_a_sampled_lock_is_counted_exactly(tmp_path):
    result, profile = profile_of(tmp_path, MIXED)
    lock_count, rlock_count, entered = result.stdout.split(maxsplit=2)
    rows = {row["what"]: row for row in profile["locks"]}
    assert rows["threading.Lock"]["acquisitions"] == int(lock_count)
    assert rows["threading.RLock"]["acquisitions"] == int(rlock_count)
    assert rows["threading.Lock"]["sampled"] and rows["threading.RLock"]["sampled"]
    # `with lock as value` binds what the plain lock's `__enter__` returns.
    assert entered.strip() == "{True}"
    assert rows["threading.Lock"]["hold_seconds"] > 0


def test_a_sampled_lock_raises_as_the_host_lock(tmp_path):
    result, profile = profile_of(tmp_path, UNLOCKED)
    assert result.stdout.split() == ["True", "1"]
    assert [row["sampled"] for row in profile["locks"] if row["what"] == "threading.Lock"] == [True]


def test_a_rare_lock_is_counted_in_full(tmp_path):
    program = next(p for p in PROGRAMS if p.stem == "coarse_lock")
    output = tmp_path / "profile.json"
    result = run_gilless("-X", f"threadprof={output}", str(program), cwd=str(program.parent),
                         timeout=300)
    assert result.returncode == 0, result.stderr
    rows = json.loads(output.read_text())["locks"]
    lock = next(row for row in rows if row["what"] == "threading.Lock")
    assert not lock["sampled"]
    assert lock["acquisitions"] == 2 * 40


class _Lock:
    """What LockCounts needs of a profiled lock: the host lock and the four slots."""
    __slots__ = ("_host", "acquire", "release", "__enter__", "__exit__", "__weakref__")


@pytest.mark.parametrize("interval", [0.001, 0.005, 0.05, 0.5])
def test_a_hot_lock_stays_sampled_whatever_the_interval(monkeypatch, interval):
    # A window ends after WINDOW acquisitions, however long the tick: its lock is hot by
    # the rate it was taken at in the window, not by its count against a tick's.
    from gilless.instrument import sync
    for name in ("_tick", "_hot_per_tick", "_sampled"):
        monkeypatch.setattr(sync, name, type(getattr(sync, name))())
    lock = _Lock()
    lock._host = _thread.allocate_lock()
    counts = sync.LockCounts()
    counts.attach(lock)
    sync.tick(1, interval)
    taken = int(sync.HOT_RATE * interval) + 4 * sync.WINDOW
    states = set()
    for _ in range(taken):
        with lock:
            pass
        states.add(counts.state)
    assert counts.state == sync.FAST and sync.OPEN in states
    assert counts.acquisitions() == taken


def test_a_lock_a_module_makes_as_it_is_imported_is_named_by_the_module(tmp_path):
    # concurrent.futures.thread and logging make locks in their bodies as the program
    # imports them: their rows name the library's lines, never the program's import
    # (and the import system's own module locks have no row).
    result, profile = profile_of(tmp_path, textwrap.dedent("""\
        import logging
        from concurrent.futures import ThreadPoolExecutor

        def job(n):
            logging.getLogger("job").debug("job %d", n)
            return n

        with ThreadPoolExecutor(max_workers=2) as pool:
            print(sum(pool.map(job, range(8))))
    """))
    assert result.stdout == "28\n"
    sites = {row["site"] for row in profile["locks"]}
    program = str(tmp_path / "program.py")
    assert f"{program}:1" not in sites and f"{program}:2" not in sites, sites
    assert any(os.path.join("concurrent", "futures", "thread.py") in site for site in sites)
    assert any(os.path.join("logging", "__init__.py") in site for site in sites), sites
    assert not any("importlib" in site for site in sites), sites
