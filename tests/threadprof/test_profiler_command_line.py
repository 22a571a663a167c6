"""`-X threadprof` on the command line: switching, mistakes, the exit status, and the guest
seeing CPython's primitives under it."""

import textwrap

import pytest

from conftest import run_cpython, run_gilless

REPORT_START = "=" * 18 + "\ngilless threadprof:"


def program(tmp_path, source):
    path = tmp_path / "program.py"
    path.write_text(textwrap.dedent(source))
    return str(path)


def before_report(stderr):
    return stderr[:stderr.index(REPORT_START)] if REPORT_START in stderr else stderr


def test_off_unless_asked(tmp_path):
    path = program(tmp_path, "print('hi')\n")
    for options in ([], ["-X", "threadprof=0"]):
        result = run_gilless(*options, path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "hi\n", "")


def test_an_empty_value_is_on(tmp_path):
    # As CPython's -X options that switch something on (-X dev=, -X importtime=).
    result = run_gilless("-X", "threadprof=", program(tmp_path, "print('hi')\n"))
    assert result.returncode == 0 and result.stdout == "hi\n"
    assert REPORT_START in result.stderr and "wrote" not in result.stderr


def test_a_single_threaded_program_is_said_to_be_one(tmp_path):
    result = run_gilless("-X", "threadprof", program(tmp_path, "print(sum(range(10)))\n"))
    assert result.returncode == 0 and result.stdout == "45\n"
    assert REPORT_START in result.stderr
    assert "the program ran one thread at a time" in result.stderr


@pytest.mark.parametrize("options, message", [
    (["-X", "threadprof", "-X", "race"], "cannot be combined with -X race"),
    (["-X", "threadprof", "-X", "gil=1"], "cannot be combined with the GIL mode"),
    (["-X", "threadprof", "-X", "threadprof_interval=fast"], "-X threadprof_interval"),
    (["-X", "threadprof", "-X", "threadprof_interval=0"], "-X threadprof_interval"),
])
def test_mistakes_are_usage_errors(options, message):
    result = run_gilless(*options, "-c", "pass")
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""


def test_the_interval_is_the_one_asked_for():
    result = run_gilless("-X", "threadprof", "-X", "threadprof_interval=20", "-c",
                         "import time; time.sleep(0.1)")
    assert result.returncode == 0
    assert "samples every 20 ms)" in result.stderr


def test_the_exit_status_and_traceback_are_the_programs(tmp_path):
    failing = program(tmp_path, """\
        import time
        def main():
            time.sleep(-1)
        main()
    """)
    plain = run_gilless(failing)
    profiled = run_gilless("-X", "threadprof", failing)
    assert profiled.returncode == plain.returncode == 1
    assert before_report(profiled.stderr) == plain.stderr
    assert "File \"" in plain.stderr and "gilless/" not in plain.stderr
    exiting = run_gilless("-X", "threadprof", "-c", "import sys; sys.exit(3)")
    assert exiting.returncode == 3 and REPORT_START in exiting.stderr


def test_a_file_that_cannot_be_written_leaves_the_program_alone(tmp_path):
    result = run_gilless("-X", f"threadprof={tmp_path / 'missing' / 'p.json'}", "-c",
                         "print('ran')")
    assert result.returncode == 0 and result.stdout == "ran\n"
    assert REPORT_START in result.stderr
    assert "threadprof: cannot write the profile:" in result.stderr


PRIMITIVES = """\
    import queue, sys, threading, time, traceback
    lock = threading.Lock()
    for arguments in ((False, 1), (True, -2), (True, "x")):
        try:
            lock.acquire(*arguments)
        except (ValueError, TypeError) as error:
            traceback.print_exc(file=sys.stdout)
    for release in (lock.release, lambda: lock.__exit__(None, None, None)):
        try:
            release()
        except RuntimeError:
            traceback.print_exc(file=sys.stdout)
    print(lock.acquire(timeout=0.01), lock.acquire(timeout=0.01), lock.locked())
    lock.release()
    rlock = threading.RLock()
    rlock.acquire(); rlock.acquire(); rlock.release(); rlock.release()
    try:
        rlock.release()
    except RuntimeError as error:
        traceback.print_exc(file=sys.stdout)
    condition = threading.Condition()
    with condition:
        print(condition.wait(0.01))
    event = threading.Event()
    def setter():
        time.sleep(0.02)
        event.set()
    thread = threading.Thread(target=setter)
    thread.start()
    print(event.wait(5))
    thread.join()
    print(thread.is_alive())
    simple = queue.SimpleQueue()
    try:
        simple.get(timeout=0.01)
    except queue.Empty:
        print("Empty")
    simple.put(1)
    print(simple.get(), simple.empty())
    for argument in (-1, "x"):
        try:
            time.sleep(argument)
        except (ValueError, TypeError) as error:
            print(type(error).__name__, error)
    print(time.sleep.__name__, time.sleep.__module__, time.sleep.__doc__ is not None)
    print(type(lock).__name__, type(rlock).__module__)
"""


def test_the_guest_sees_cpythons_primitives(tmp_path):
    path = program(tmp_path, PRIMITIVES)
    expected = run_cpython(path)
    result = run_gilless("-X", "threadprof", path)
    assert result.returncode == expected.returncode == 0, result.stderr
    assert result.stdout == expected.stdout
    assert before_report(result.stderr) == expected.stderr


def test_the_samplers_thread_is_not_the_programs(tmp_path):
    # On a free-threaded 3.13 host, heapq's C functions serve a program that runs one
    # thread (gilless.concurrency.hostcrashes): the profiler's own thread is not one.
    path = program(tmp_path, """\
        import heapq
        try:
            heapq.heappush([])
        except TypeError as error:
            print(error)
    """)
    expected = run_cpython(path)
    result = run_gilless("-X", "threadprof", path)
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout)


def test_the_gilless_command_is_not_the_programs(tmp_path):
    # The `gilless` command's frame is beneath every main thread's stack: the wait for
    # an unjoined thread at exit is the shutdown's, not a line of the command's.
    import pathlib
    import subprocess
    import sys
    command = pathlib.Path(__file__).resolve().parents[2] / "bin" / "gilless"
    path = program(tmp_path, """\
        import threading, time
        threading.Thread(target=time.sleep, args=(0.2,)).start()
    """)
    result = subprocess.run([sys.executable, str(command), "-X", "threadprof", path],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert REPORT_START in result.stderr
    assert "gilless:" not in result.stderr.replace("gilless threadprof:", "")


def test_a_serial_phase_where_no_line_was_sampled_is_still_a_finding(tmp_path):
    # Two threads work, then the main thread alone, all within the first sampling
    # interval: no sample places the serial tail, which is no start-up for that.
    path = program(tmp_path, """\
        import threading

        def work(n):
            for i in range(n):
                i % 7

        threads = [threading.Thread(target=work, args=(600_000,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        work(1_500_000)
    """)
    result = run_gilless("-X", "threadprof", "-X", "threadprof_interval=1000", path)
    assert result.returncode == 0, result.stderr
    phases = result.stderr[result.stderr.index("Serial phases"):].splitlines()[2:]
    assert phases[0].endswith("start-up and imports"), result.stderr
    assert any(line.endswith("no line of the program sampled") for line in phases[1:]), \
        result.stderr
    assert "where no line of the program was sampled: a serial phase" in result.stderr
