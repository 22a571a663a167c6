# io (open text/binary, StringIO/BytesIO), os, time, errno, datetime, threading.
import datetime
import errno
import io
import os
import tempfile
import threading
import time

directory = tempfile.mkdtemp()
path = os.path.join(directory, "data.txt")
with open(path, "w", encoding="utf-8") as f:
    print(type(f).__name__, f.mode, f.encoding, f.writable())
    f.write("line one\nlíne two\n")
    f.writelines(["three\n"])
with open(path) as f:
    print(f.readline(), f.readlines(), f.read(), f.tell() > 0)
with open(path, "rb") as f:
    print(type(f).__name__, f.read(5), f.seek(0, io.SEEK_END), f.raw.__class__.__name__)
with open(path, "a+b") as f:
    f.write(b"\x00\xff")
    f.seek(0)
    print(len(f.read()))
with open(path, "r", newline="") as f:
    print(repr(f.read(3)))
try:
    with open(path, encoding="ascii") as f:
        f.read()
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e.reason, e.start)
s = io.StringIO("a\nb\n")
print(list(s), s.getvalue(), s.closed)
b = io.BytesIO()
b.write(b"xyz")
print(b.getvalue(), b.tell(), io.TextIOWrapper(io.BytesIO(b"wrapped\n")).read())
print(sorted(os.listdir(directory)), os.path.exists(path), os.path.getsize(path), os.path.splitext(path)[1])
os.rename(path, path + ".bak")
print(os.path.isfile(path), os.path.isfile(path + ".bak"), os.path.join("a", "b", "..", "c"), os.path.normpath("a/b/../c"))
os.makedirs(os.path.join(directory, "x", "y"))
print(sorted(d for _, ds, _ in os.walk(directory) for d in ds), os.sep, os.name, type(os.environ).__name__)
os.environ["GILLESS_TEST_VAR"] = "v"
print(os.environ.get("GILLESS_TEST_VAR"), os.getenv("NOT_SET_EVER", "dflt"), os.fspath(path)[-8:])
st = os.stat(path + ".bak")
print(st.st_size, oct(st.st_mode & 0o777 & 0o400), os.access(path + ".bak", os.R_OK))
try:
    os.remove(path)
except FileNotFoundError as e:
    print(e.errno == errno.ENOENT, errno.errorcode[e.errno], e.strerror)
try:
    os.mkdir(directory)
except FileExistsError as e:
    print("FileExistsError", e.errno == errno.EEXIST)
import shutil
shutil.rmtree(directory)
print(os.path.exists(directory))
t0 = time.perf_counter()
time.sleep(0.01)
print(time.perf_counter() - t0 >= 0.009, time.gmtime(0)[:6], time.strftime("%Y-%m-%d", time.gmtime(86400)))
print(type(time.time()).__name__, time.monotonic() > 0, time.struct_time((2020, 1, 2, 3, 4, 5, 0, 1, 0)).tm_mday)
d = datetime.date(2024, 2, 29)
print(d, d + datetime.timedelta(days=1), d.isoformat(), d.weekday(), d.strftime("%A %d %B %Y"), repr(d))
dt = datetime.datetime(2024, 1, 2, 3, 4, 5, 600, tzinfo=datetime.timezone.utc)
print(dt, dt.isoformat(), dt.timestamp(), dt.astimezone(datetime.timezone(datetime.timedelta(hours=2))))
print(datetime.datetime.strptime("2021-03-04 05:06", "%Y-%m-%d %H:%M"), datetime.datetime.fromisoformat("2020-01-01T00:00:00"))
print(datetime.timedelta(days=1, seconds=3661), repr(datetime.timedelta(hours=-1)), datetime.date.fromordinal(700000))
print(time.strptime("2020 5", "%Y %j")[:3], dt.timetuple()[:6], dt.utctimetuple().tm_yday)
try:
    datetime.date(2023, 2, 29)
except ValueError as e:
    print("ValueError:", e)
results = []
lock = threading.Lock()


def worker(n):
    for _ in range(1000):
        with lock:
            results.append(n)


threads = [threading.Thread(target=worker, args=(i,), name=f"w{i}") for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(results), sorted(set(results)), threading.current_thread().name, threading.main_thread() is threading.current_thread())
local = threading.local()
local.v = "main"
seen = []
t = threading.Thread(target=lambda: seen.append(getattr(local, "v", "unset")))
t.start()
t.join()
print(seen, local.v)
cond = threading.Condition()
ready = []


def producer():
    with cond:
        ready.append(1)
        cond.notify()


with cond:
    threading.Thread(target=producer).start()
    cond.wait_for(lambda: ready, timeout=5)
print(ready)
event = threading.Event()
timer = threading.Timer(0.01, event.set)
timer.start()
timer.join(5)
print(event.wait(5), timer.is_alive())
sem = threading.BoundedSemaphore(2)
sem.acquire()
sem.release()
try:
    sem.release()
except ValueError as e:
    print("ValueError:", e)
import queue
q = queue.Queue()
threading.Thread(target=lambda: [q.put(i) for i in range(3)]).start()
print([q.get(timeout=5) for _ in range(3)])
from concurrent.futures import ThreadPoolExecutor
with ThreadPoolExecutor(max_workers=3) as pool:
    print(list(pool.map(lambda v: v * v, range(6))))


def thread_error():
    raise ValueError("in thread")


t = threading.Thread(target=thread_error, name="failing")
t.start()
t.join()
print("after thread error")
