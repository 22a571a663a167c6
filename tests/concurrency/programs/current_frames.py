"""What sys._current_frames() and faulthandler's dumps show of threads that wait (a lock,
an event, a queue, a join, a sleep): their own frames, as CPython's, in the GIL mode too
where gilless's waits release its lock."""
import faulthandler
import queue
import sys
import tempfile
import threading
import time

lock = threading.Lock()
lock.acquire()
event = threading.Event()
items = queue.Queue()
stop = threading.Event()


def sleeper():
    # One sleep that outlasts the look (a loop of short ones would sometimes be seen
    # between two, or, in the GIL mode, taking the GIL back).
    time.sleep(3)


def joiner(thread):
    thread.join()


waiters = {"lock": threading.Thread(target=lock.acquire),
           "event": threading.Thread(target=event.wait),
           "queue": threading.Thread(target=items.get),
           "sleep": threading.Thread(target=sleeper)}
waiters["join"] = threading.Thread(target=joiner, args=(waiters["event"],))
for thread in waiters.values():
    thread.start()
# Until each waits (a loaded machine may take a while to get them there).
WAITING = {"lock": "run", "event": "wait", "queue": "wait", "sleep": "sleeper",
           "join": ("_wait_for_tstate_lock", "join")}
for _ in range(200):
    frames = sys._current_frames()
    if all(frames[thread.ident].f_code.co_name in WAITING[name]
           for name, thread in waiters.items()):
        break
    time.sleep(0.05)
time.sleep(0.1)
frames = sys._current_frames()
for name, thread in waiters.items():
    frame = frames[thread.ident]
    chain = []
    while frame is not None:
        chain.append(f"{frame.f_code.co_name} {frame.f_code.co_filename.rsplit('/', 1)[-1]}"
                     f":{frame.f_lineno}")
        frame = frame.f_back
    print(name, chain)
# What faulthandler's C code reads of every thread: the same frames.
with tempfile.TemporaryFile("w+") as dump:
    faulthandler.dump_traceback(file=dump, all_threads=True)
    dump.seek(0)
    print(sorted(line.strip().rsplit("/", 1)[-1] for line in dump if "File" in line))
me = frames[threading.get_ident()]
print("main", me.f_code.co_name, me.f_lineno, me.f_back)
print("threads listed:", len(frames) == threading.active_count())
lock.release()
event.set()
items.put(None)
stop.set()
for thread in waiters.values():
    thread.join()
