# modes: default, gil
# threading.setprofile_all_threads and settrace_all_threads reach a thread already
# running, replace what it set for itself, and once unset it reports nothing more, even
# from a frame it is running.
import sys
import threading
import time

if not hasattr(threading, "setprofile_all_threads"):
    print("no setprofile_all_threads before 3.12")
    raise SystemExit


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def one_round():
    fib(2)
    return len("ab")


WATCHED = {"fib", "one_round"}
events = []


def profiler(frame, event, arg):
    if frame.f_code.co_name in WATCHED:
        name = arg.__name__ if event.startswith("c_") else frame.f_code.co_name
        events.append(f"{threading.current_thread().name} profile {event} {name}")


def tracer(frame, event, arg):
    if frame.f_code.co_name in WATCHED:
        events.append(f"{threading.current_thread().name} trace {event} "
                      f"{frame.f_code.co_name}")
    return tracer


def own_profiler(frame, event, arg):
    if frame.f_code.co_name in WATCHED:
        events.append(f"the worker's own profile function: {event}")


go = threading.Semaphore(0)
done = threading.Semaphore(0)
rounds = []


def worker():
    while True:
        go.acquire()
        if not rounds:
            return
        what = rounds.pop()
        events.append(f"worker sees {what}: gettrace {sys.gettrace() is tracer}, "
                      f"getprofile {sys.getprofile() is profiler}")
        if what == "its own profile function":
            sys.setprofile(own_profiler)
            one_round()
        else:
            one_round()
        done.release()


def in_worker(what):
    rounds.append(what)
    go.release()
    done.acquire()


thread = threading.Thread(target=worker, name="worker")
thread.start()
in_worker("nothing set")
threading.setprofile_all_threads(profiler)
one_round()
in_worker("profile set")
threading.settrace_all_threads(tracer)
in_worker("both set")
threading.setprofile_all_threads(None)
one_round()
in_worker("profile unset")
threading.settrace_all_threads(None)
one_round()
in_worker("both unset")
in_worker("its own profile function")
threading.setprofile_all_threads(profiler)
in_worker("profile set over its own")
threading.setprofile_all_threads(None)
in_worker("unset again")
go.release()
thread.join()
print(sys.gettrace(), sys.getprofile(), threading.gettrace(), threading.getprofile())
print(*events, sep="\n")

# A thread started while a trace function is set for all threads, spinning in a traced
# frame when it is unset.
phase = 0
spun = []


def count_lines(frame, event, arg):
    if phase == 2:
        spun.append(event)
    return count_lines


def spin():
    global phase
    phase = 1
    while phase < 3:
        pass


threading.settrace_all_threads(count_lines)
spinner = threading.Thread(target=spin)
spinner.start()
while phase == 0:
    time.sleep(0.001)
threading.settrace_all_threads(None)
phase = 2
time.sleep(0.05)
phase = 3
spinner.join()
# (One call of the function may have begun before it was unset: threads switch anywhere.)
print("events once unset:", len(spun) if len(spun) > 1 else "none after the call in flight")
