"""What sys._current_frames() shows of threads that wait (a lock, an event, a queue, a
join, a sleep) or run: their own frames, as CPython's, in the GIL mode too where
gilless's waits release its lock and its switches hand it over."""
import queue
import sys
import threading
import time

lock = threading.Lock()
lock.acquire()
event = threading.Event()
items = queue.Queue()
stop = threading.Event()


def sleeper():
    while not stop.is_set():
        time.sleep(0.01)


def joiner(thread):
    thread.join()


spin = True


def spinner():
    while spin: pass  # noqa: E701 (one line: the line it is found at)


waiters = {"lock": threading.Thread(target=lock.acquire),
           "event": threading.Thread(target=event.wait),
           "queue": threading.Thread(target=items.get),
           "sleep": threading.Thread(target=sleeper)}
waiters["join"] = threading.Thread(target=joiner, args=(waiters["event"],))
spinning = threading.Thread(target=spinner)
for thread in [*waiters.values(), spinning]:
    thread.start()
time.sleep(0.3)
frames = sys._current_frames()
if sys.version_info >= (3, 12):
    # (On 3.11 the GIL mode's switch points have no line: docs/threads.md.)
    frame = frames[spinning.ident]
    print("spinning", frame.f_code.co_name, frame.f_lineno)
for name, thread in waiters.items():
    frame = frames[thread.ident]
    chain = []
    while frame is not None:
        chain.append(f"{frame.f_code.co_name} {frame.f_code.co_filename.rsplit('/', 1)[-1]}"
                     f":{frame.f_lineno}")
        frame = frame.f_back
    print(name, chain)
me = frames[threading.get_ident()]
print("main", me.f_code.co_name, me.f_lineno, me.f_back)
print("threads listed:", len(frames) == threading.active_count())
lock.release()
event.set()
items.put(None)
stop.set()
spin = False
for thread in [*waiters.values(), spinning]:
    thread.join()
