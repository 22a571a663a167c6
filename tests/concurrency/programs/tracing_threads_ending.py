"""Threads end, many of them, while another thread sets and unsets a profile function
for all threads: the process never crashes (free-threaded CPython 3.13 itself does,
writing into the state of a thread that is being deleted)."""
import threading

if not hasattr(threading, "setprofile_all_threads"):
    print("no setprofile_all_threads before 3.12")
    raise SystemExit

ROUNDS = 300
done = threading.Event()
calls = []


def profiler(frame, event, arg):
    pass


def toggle():
    while not done.is_set():
        threading.setprofile_all_threads(profiler)
        threading.setprofile_all_threads(None)


def short(number):
    calls.append(number)


toggler = threading.Thread(target=toggle)
toggler.start()
for round in range(ROUNDS):
    threads = [threading.Thread(target=short, args=(round,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
done.set()
toggler.join()
assert len(calls) == 4 * ROUNDS, len(calls)
print(f"threads ended while a profile function was set for all threads: {ROUNDS} rounds")
