"""Two threads set and unset a profile and a trace function for all threads, many times
over, while another runs Python code and one more sets its own: the process never
crashes (free-threaded CPython 3.13 itself does, taking a function out of a running
thread), and once both are unset, no thread has either."""
import sys
import threading

if not hasattr(threading, "setprofile_all_threads"):
    print("no setprofile_all_threads before 3.12")
    raise SystemExit

ROUNDS = 300
calls = [0, 0]


def profiler(frame, event, arg):
    calls[0] += 1


def other_profiler(frame, event, arg):
    calls[0] += 1


def tracer(frame, event, arg):
    calls[1] += 1
    return None


def add(x):
    return x + 1


stop = threading.Event()
unset = threading.Barrier(3)
left = []


def busy(own):
    while not stop.is_set():
        if own:
            sys.setprofile(profiler)
            add(0)
            sys.settrace(tracer)
            add(0)
            sys.setprofile(None)
            sys.settrace(None)
        for i in range(100):
            add(i)
    unset.wait()
    add(0)
    left.append((sys.getprofile(), sys.gettrace()))


def toggle(index):
    for round in range(ROUNDS):
        if index == 0:
            threading.setprofile_all_threads(profiler)
            threading.setprofile_all_threads(other_profiler)
            threading.setprofile_all_threads(None)
        else:
            threading.settrace_all_threads(tracer)
            threading.settrace_all_threads(None)


busy_threads = [threading.Thread(target=busy, args=(own,)) for own in (False, True)]
togglers = [threading.Thread(target=toggle, args=(index,)) for index in range(2)]
for thread in busy_threads + togglers:
    thread.start()
for thread in togglers:
    thread.join()
stop.set()
unset.wait()
for thread in busy_threads:
    thread.join()
assert calls[0] > 0 and calls[1] > 0, calls
assert left == [(None, None)] * 2, left
print(f"set and unset for all threads without a crash: {ROUNDS} rounds")
