# expect: no race
# Threads that each use the standard library for the first time at once: re compiles
# into its module-level cache, mimetypes and urllib.parse make their tables and
# patterns lazily in module globals, tracebacks are formatted from linecache's cache, and
# an enum Flag caches its combinations. Each is the module's own state, filled by
# whichever thread comes first; what a lazily made global holds is published with it.
#
# The main thread reads this file into linecache first: two threads filling the cache
# for one file at once can make CPython's own linecache.updatecache raise KeyError
# (it tests `filename in cache` and then indexes it, while another thread pops it),
# on any host, with or without the detector.
import enum
import linecache
import mimetypes
import re
import threading
import traceback
import urllib.parse


class Mode(enum.Flag):
    READ = 1
    WRITE = 2
    EXECUTE = 4


linecache.getlines(__file__)
start = threading.Barrier(4)
results = []


def work(number):
    start.wait()
    found = [bool(re.match(r"(\d+)-%d" % step, "12-%d" % step)) for step in range(8)]
    kind = mimetypes.guess_type("page.html")[0]
    parts = urllib.parse.urlsplit("http://example.com:8080/path?q=%d" % number)
    try:
        raise ValueError(number)
    except ValueError:
        lines = traceback.format_exc().count("\n")
    mode = Mode.READ | Mode.WRITE | Mode(number % 2 and 4)
    results.append((all(found), kind, parts.port, lines > 0, Mode.READ in mode))


threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(results))
