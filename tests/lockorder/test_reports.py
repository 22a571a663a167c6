"""Lock-order inversions under `gilless -X race`: reported once, with both acquisition
stacks of every edge of the cycle and where each lock was made, whether or not the run
deadlocked; correct locking (a consistent order, re-entry, try-locks, conditions,
queues, locks that die and whose addresses are reused) is never reported."""

import os
import re
import textwrap
from pathlib import Path

import pytest

import gilless
from conftest import run_gilless

GILLESS_PACKAGE = os.path.dirname(os.path.abspath(gilless.__file__))
HEADER = "WARNING: POTENTIAL DEADLOCK: lock-order inversion"
REPORT_STATUS = 66

_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)$')


# What most programs end with: each function in a thread of its own, one after the
# other, so that every lock order is taken without any chance of a deadlock.
IN_TURN = """\
import threading


def in_turn(*works):
    for work in works:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()


"""


def write(tmp_path, source, name="locks.py"):
    path = tmp_path / name
    path.write_text(IN_TURN + textwrap.dedent(source))
    return path


def line_of(path, text, occurrence=1):
    """The number of the `occurrence`th line of `path` whose stripped text is `text`."""
    found = [number for number, line in enumerate(Path(path).read_text().splitlines(), 1)
             if line.strip() == text]
    return found[occurrence - 1]


def run(program, *options):
    return run_gilless("-X", "race", *options, str(program), cwd=str(program.parent),
                       timeout=300)


def reports(stderr):
    """Each lock-order report in `stderr` as (cycle line, [(title, [(file, line, source)])])."""
    found = []
    for block in stderr.split("==================\n"):
        if not block.startswith(HEADER + "\n"):
            continue
        lines = block.splitlines()[1:]
        cycle = lines.pop(0)
        sections = []
        for line in lines:
            frame = _FRAME.match(line)
            if frame:
                sections[-1][1].append([frame["file"], int(frame["line"]), None])
            elif line.startswith("    ") and sections and sections[-1][1]:
                sections[-1][1][-1][2] = line.strip()
            elif line.strip():
                sections.append((line, []))
        found.append((cycle, sections))
    return found


def check_frames(frames):
    """Every frame shows its file's real line, and none is gilless's."""
    assert frames
    for file, number, source in frames:
        assert not file.startswith(GILLESS_PACKAGE), file
        real = Path(file).read_text().splitlines()[number - 1].strip()
        assert source == real, (file, number, source, real)


def innermost(sections, title):
    """(line, source) of the innermost frame under the section titled `title`."""
    for section_title, frames in sections:
        if section_title == title:
            check_frames(frames)
            return frames[-1][1], frames[-1][2]
    raise AssertionError(f"no section {title!r} in {[s[0] for s in sections]}")


AB_BA = """\
    import threading

    a = threading.Lock()
    b = threading.Lock()


    def forwards():
        with a:
            with b:
                pass


    def backwards():
        with b:
            with a:
                pass


    first = threading.Thread(target=forwards)
    first.start()
    first.join()
    second = threading.Thread(target=backwards)
    second.start()
    second.join()
    print("no deadlock this time")
"""


def test_two_locks_taken_in_both_orders_are_reported_though_the_run_did_not_deadlock(
        tmp_path):
    program = write(tmp_path, AB_BA)
    result = run(program)
    assert result.stdout == "no deadlock this time\n"
    assert result.returncode == REPORT_STATUS, result.stderr
    assert "Traceback" not in result.stderr and GILLESS_PACKAGE not in result.stderr
    [(cycle, sections)] = reports(result.stderr)
    # M1 is the lock held first: the order of the run.
    assert cycle == (f"Cycle in lock order graph: M1 (lock created at {program}:"
                     f"{line_of(program, 'a = threading.Lock()')}) => M2 (lock created at "
                     f"{program}:{line_of(program, 'b = threading.Lock()')}) => M1")
    titles = [title for title, _ in sections]
    assert titles == [
        "Mutex M2 acquired here while holding mutex M1 in thread T1 (Thread-1 (forwards)):",
        "Mutex M1 previously acquired by the same thread here:",
        "Mutex M1 acquired here while holding mutex M2 in thread T2 (Thread-2 (backwards)):",
        "Mutex M2 previously acquired by the same thread here:",
        "Thread T1 (Thread-1 (forwards)) created at:",
        "Thread T2 (Thread-2 (backwards)) created at:",
    ]
    assert innermost(sections, titles[0]) == (line_of(program, "with b:", 1), "with b:")
    assert innermost(sections, titles[1]) == (line_of(program, "with a:", 1), "with a:")
    assert innermost(sections, titles[2]) == (line_of(program, "with a:", 2), "with a:")
    assert innermost(sections, titles[3]) == (line_of(program, "with b:", 2), "with b:")
    assert innermost(sections, titles[4])[1] == "first.start()"
    assert innermost(sections, titles[5])[1] == "second.start()"
    assert result.stderr.endswith("Found 1 lock-order inversion(s)\n")


def test_each_acquisition_shows_its_own_callers_through_a_shared_helper(tmp_path):
    # Both orders are taken through the same helper frames, called from two places: the
    # stack cache knows the helper's frames by their address and caller, and would
    # give the second call the first one's outer frames.
    program = write(tmp_path, """\
        a, b = threading.Lock(), threading.Lock()


        def take_both(first, second):
            with first:
                with second:
                    pass


        def dispatch(function, *args):
            return function(*args)


        def in_order():
            dispatch(take_both, a, b)


        def reversed_order():
            dispatch(take_both, b, a)


        in_order()
        reversed_order()
        """)
    result = run(program)
    [(_, sections)] = reports(result.stderr)
    for _, frames in sections[:4]:
        check_frames(frames)
    callers = [[source for _, _, source in frames if source.endswith("()")]
               for _, frames in sections[:4]]
    assert callers == [["in_order()"]] * 2 + [["reversed_order()"]] * 2, sections


def test_the_default_mode_reports_nothing(tmp_path):
    result = run_gilless(str(write(tmp_path, AB_BA)))
    assert (result.stdout, result.stderr, result.returncode) == \
        ("no deadlock this time\n", "", 0)


def test_a_cycle_of_three_locks_through_helper_functions(tmp_path):
    program = write(tmp_path, """\
        locks = {name: threading.Lock() for name in "xy"}
        locks["z"] = threading.RLock()


        def inner(name):
            with locks[name]:
                pass


        def outer(held, taken):
            with locks[held]:
                inner(taken)


        for held, taken in (("x", "y"), ("y", "z"), ("z", "x")):
            thread = threading.Thread(target=outer, args=(held, taken))
            thread.start()
            thread.join()
        """)
    result = run(program)
    assert result.returncode == REPORT_STATUS, result.stderr
    [(cycle, sections)] = reports(result.stderr)
    created = line_of(program, 'locks = {name: threading.Lock() for name in "xy"}')
    rlock = line_of(program, 'locks["z"] = threading.RLock()')
    assert cycle == (f"Cycle in lock order graph: M1 (lock created at {program}:{created}) "
                     f"=> M2 (lock created at {program}:{created}) "
                     f"=> M3 (RLock created at {program}:{rlock}) => M1")
    edges = [(title, frames) for title, frames in sections if title.startswith("Mutex")]
    assert len(edges) == 6
    for title, frames in edges:
        check_frames(frames)
        if "previously acquired" in title:
            assert [frame[2] for frame in frames] == ["with locks[held]:"]
        else:
            # The caller's frame, then the helper's.
            assert [frame[2] for frame in frames] == ["inner(taken)", "with locks[name]:"]
    assert [title for title, _ in sections if title.endswith("created at:")] == [
        f"Thread T{n} (Thread-{n} (outer)) created at:" for n in (1, 2, 3)]


def run_clean(tmp_path, source):
    """Run `source` under the detector and without it: same output, nothing reported."""
    program = write(tmp_path, source)
    plain = run_gilless(str(program), cwd=str(tmp_path), timeout=300)
    result = run(program)
    assert HEADER not in result.stderr, result.stderr
    assert (result.stdout, result.stderr, result.returncode) == \
        (plain.stdout, plain.stderr, plain.returncode)
    assert plain.returncode == 0, plain.stderr
    return result


def test_a_consistent_order_is_not_reported(tmp_path):
    run_clean(tmp_path, """\
        a, b, c = threading.Lock(), threading.Lock(), threading.RLock()


        def work():
            for _ in range(50):
                with a:
                    with b:
                        with c:
                            pass
                with a:
                    with c:
                        pass
                with b:
                    pass


        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Joining a thread while holding a lock it took is no lock order (the end of a
        # thread signals; it is not a lock that thread held).
        with a:
            threads[0].join()
        print("done")
        """)


def test_re_entering_an_rlock_adds_no_edge(tmp_path):
    # If the inner `with r` counted as an acquisition under `b`, b => r and r => b
    # would make a cycle.
    run_clean(tmp_path, """\
        r = threading.RLock()
        b = threading.Lock()


        def nested():
            with r:
                with b:
                    with r:
                        pass


        def plain():
            with r:
                with b:
                    pass


        in_turn(nested, plain)
        print("done")
        """)


def test_an_rlock_is_held_until_its_outermost_release(tmp_path):
    program = write(tmp_path, """\
        r = threading.RLock()
        b = threading.Lock()


        def nested():
            with r:
                with r:
                    pass
                with b:
                    pass


        def reversed_order():
            with b:
                with r:
                    pass


        in_turn(nested, reversed_order)
        """)
    result = run(program)
    assert result.returncode == REPORT_STATUS, result.stderr
    [(cycle, sections)] = reports(result.stderr)
    assert innermost(sections, "Mutex M1 previously acquired by the same thread here:") == \
        (line_of(program, "with r:", 1), "with r:")


def test_a_try_lock_or_a_timeout_adds_no_edge_to_the_lock_it_takes(tmp_path):
    run_clean(tmp_path, """\
        a, b = threading.Lock(), threading.Lock()


        def trying():
            with a:
                if b.acquire(blocking=False):
                    b.release()
                if b.acquire(timeout=5):
                    b.release()
                if b.acquire(True, 0):
                    b.release()


        def blocking():
            with b:
                with a:
                    pass


        in_turn(trying, blocking)
        print("done")
        """)


def test_a_lock_taken_by_a_try_lock_is_held_for_what_is_taken_under_it(tmp_path):
    program = write(tmp_path, """\
        a, b = threading.Lock(), threading.Lock()


        def trying():
            if a.acquire(blocking=False):
                with b:
                    pass
                a.release()


        def blocking():
            with b:
                with a:
                    pass


        in_turn(trying, blocking)
        """)
    result = run(program)
    assert result.returncode == REPORT_STATUS, result.stderr
    [(cycle, sections)] = reports(result.stderr)
    assert innermost(sections, "Mutex M1 previously acquired by the same thread here:") == \
        (line_of(program, "if a.acquire(blocking=False):"), "if a.acquire(blocking=False):")


def test_conditions_queues_and_events_are_not_reported(tmp_path):
    # Condition.wait parks each waiter on a fresh lock that the notifier releases (or
    # that stays locked after a timeout): a signal, not a lock held around the rest.
    run_clean(tmp_path, """\
        import queue
        import threading

        outer = threading.Lock()
        cond = threading.Condition()
        plain_cond = threading.Condition(threading.Lock())
        items = []


        def consume():
            with outer:
                with cond:
                    while not items:
                        cond.wait()
                    cond.wait(0.01)
                    cond.wait_for(lambda: True, timeout=0)
                with plain_cond:
                    plain_cond.wait(0.01)


        def produce():
            with cond:
                items.append(1)
                cond.notify_all()


        consumer = threading.Thread(target=consume)
        consumer.start()
        producer = threading.Thread(target=produce)
        producer.start()
        consumer.join()
        producer.join()

        work = queue.Queue()
        done = threading.Event()


        def worker():
            while (item := work.get()) is not None:
                work.task_done()
            work.task_done()
            done.set()


        workers = [threading.Thread(target=worker) for _ in range(3)]
        for thread in workers:
            thread.start()
        for item in range(100):
            work.put(item)
        for thread in workers:
            work.put(None)
        work.join()
        done.wait()
        for thread in workers:
            thread.join()
        print("done")
        """)


def test_the_lock_of_a_condition_stays_a_lock_when_notify_probes_it(tmp_path):
    # Condition.notify checks that the caller holds a plain lock by trying to acquire
    # it: a probe, not a sign that the lock is a signal.
    program = write(tmp_path, """\
        mutex = threading.Lock()
        cond = threading.Condition(mutex)
        other = threading.Lock()


        def forwards():
            with cond:
                cond.notify()
                with other:
                    pass


        def backwards():
            with other:
                with mutex:
                    pass


        in_turn(forwards, backwards)
        """)
    result = run(program)
    assert result.returncode == REPORT_STATUS, result.stderr
    [(cycle, sections)] = reports(result.stderr)
    assert cycle.startswith(f"Cycle in lock order graph: M1 (lock created at {program}:"
                            f"{line_of(program, 'mutex = threading.Lock()')}) => M2")


def test_a_condition_wait_gives_back_every_level_of_its_rlock_and_restores_them(tmp_path):
    # After the wait the thread still holds `cond` once: `other` is taken under it. The
    # wait took `cond` again, and that is the acquisition the report shows.
    program = write(tmp_path, """\
        cond = threading.Condition()
        other = threading.Lock()


        def waiting():
            with cond:
                with cond:
                    cond.wait(0.01)
                with other:
                    pass


        def reversed_order():
            with other:
                with cond:
                    pass


        in_turn(waiting, reversed_order)
        """)
    result = run(program)
    assert result.returncode == REPORT_STATUS, result.stderr
    [(cycle, sections)] = reports(result.stderr)
    assert cycle.startswith(f"Cycle in lock order graph: M1 (RLock created at {program}:"
                            f"{line_of(program, 'cond = threading.Condition()')}) => M2")
    assert innermost(sections, "Mutex M1 previously acquired by the same thread here:") == \
        (line_of(program, "cond.wait(0.01)"), "cond.wait(0.01)")


def test_a_lock_made_unlocked_in_a_forked_child_is_no_longer_held(tmp_path):
    # As `logging` makes its module lock after fork, in the child (`_at_fork_reinit`),
    # with a library's lock that the child releases: the child's next use of the
    # library's lock is under no lock. Both locks were held together as the parent
    # forked, in the other order.
    run_clean(tmp_path, """\
        import os

        module_lock, library_lock = threading.RLock(), threading.Lock()
        os.register_at_fork(before=module_lock.acquire, after_in_parent=module_lock.release,
                            after_in_child=module_lock._at_fork_reinit)
        os.register_at_fork(before=library_lock.acquire,
                            after_in_parent=library_lock.release,
                            after_in_child=library_lock.release)
        for _ in range(2):
            pid = os.fork()
            if pid == 0:
                with library_lock:
                    pass
                os._exit(0)
            print("child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        """)


def test_a_lock_released_out_of_order_is_no_longer_held(tmp_path):
    run_clean(tmp_path, """\
        a, b, c = threading.Lock(), threading.Lock(), threading.Lock()


        def handover():
            a.acquire()
            b.acquire()
            a.release()
            b.release()
            with c:
                pass


        def reversed_order():
            with c:
                with a:
                    pass


        in_turn(handover, reversed_order)
        print("done")
        """)


def test_an_inversion_in_a_loop_is_reported_once(tmp_path):
    program = write(tmp_path, """\
        a, b = threading.Lock(), threading.Lock()


        def in_order(first, second):
            with first:
                with second:
                    pass


        for _ in range(30):
            threads = [threading.Thread(target=in_order, args=pair)
                       for pair in ((a, b), (b, a))]
            for thread in threads:
                thread.start()
                thread.join()
        # Other locks made at the same lines and taken by the same code: the same report.
        for _ in range(30):
            c, d = threading.Lock(), threading.Lock()
            in_order(c, d)
            in_order(d, c)
        print("done")
        """)
    result = run(program)
    assert result.stdout == "done\n"
    assert result.returncode == REPORT_STATUS, result.stderr
    assert len(reports(result.stderr)) == 1, result.stderr


def test_locks_that_die_and_whose_addresses_are_reused_are_not_confused(tmp_path):
    # Pairs of locks made and dropped, each pair nested one way; a new lock often gets
    # a dead one's address, so a table by address would see both orders.
    result = run_clean(tmp_path, """\
        addresses = set()


        def nest(outer, inner):
            with outer:
                with inner:
                    pass


        for index in range(2000):
            x, y = threading.Lock(), threading.Lock()
            addresses.update((id(x), id(y)))
            nest(x, y) if index % 2 else nest(y, x)
            del x, y
        print("addresses reused:", len(addresses) < 4000)
        """)
    assert result.stdout == "addresses reused: True\n"


def test_report_files_and_halt_on_error(tmp_path):
    import json
    program = write(tmp_path, AB_BA)
    report = tmp_path / "report.json"
    result = run(program, "-X", f"race_report={report}")
    assert result.returncode == REPORT_STATUS, result.stderr
    document = json.loads(report.read_text())
    assert document["races"] == []
    [inversion] = document["lock_order_inversions"]
    assert [lock["name"] for lock in inversion["cycle"]] == ["M1", "M2"]
    assert inversion["cycle"][0]["created_at"] == {
        "file": str(program), "line": line_of(program, "a = threading.Lock()")}
    [first, second] = inversion["edges"]
    assert (first["held"], first["acquired"], first["thread"]) == \
        ("M1", "M2", "thread T1 (Thread-1 (forwards))")
    assert first["stack"][-1]["source"] == "with b:"
    assert first["held_stack"][-1]["source"] == "with a:"
    assert second["stack"][-1]["line"] == line_of(program, "with a:", 2)
    assert HEADER in inversion["text"]

    sarif = tmp_path / "report.sarif"
    run(program, "-X", f"race_report={sarif}")
    [sarif_run] = json.loads(sarif.read_text())["runs"]
    [result_] = sarif_run["results"]
    assert result_["ruleId"] == "lock-order-inversion"
    assert "lock-order-inversion" in {rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]}
    region = result_["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == line_of(program, "with b:", 1)
    assert len(result_["codeFlows"][0]["threadFlows"]) == 2

    halted = run(program, "-X", "race=halt_on_error=1,exitcode=7")
    assert halted.returncode == 7
    assert halted.stdout == "" and len(reports(halted.stderr)) == 1


def test_detect_deadlocks_zero_turns_lock_order_checking_off(tmp_path):
    program = write(tmp_path, AB_BA)
    for options, env in ((["-X", "race=detect_deadlocks=0"], None),
                         (["-X", "race"], {"GILLESS_RACE": "detect_deadlocks=0"})):
        result = run_gilless(*options, str(program), env=env, timeout=300)
        assert (result.stdout, result.stderr, result.returncode) == \
            ("no deadlock this time\n", "", 0)


@pytest.mark.parametrize("status", [0, 3])
def test_an_inversion_counts_toward_the_exit_status_as_a_race_does(tmp_path, status):
    program = write(tmp_path, AB_BA + f"    raise SystemExit({status})\n")
    result = run(program)
    assert result.returncode == (REPORT_STATUS if status == 0 else status)
    assert len(reports(result.stderr)) == 1
