# modes: default, gil, race
# The csv reader, which gilless locks on hosts where threads reading one crash
# (free-threaded 3.13), looks and behaves as CPython's: its type's name, documentation
# and attributes, errors, pickling, `DictReader`, and the frames and events of the
# Python code it reads from. (Threads sharing one: tests/concurrency.)
import copy
import csv
import io
import pickle
import sys
import traceback
import _csv

kind = type(csv.reader([]))
print(kind, kind is _csv.Reader, kind.__name__, kind.__qualname__, kind.__module__,
      kind.__text_signature__, kind.__doc__.splitlines()[0], "|", kind.__next__.__doc__)
print(sorted(set(dir(kind)) - set(dir(object))))
print(kind.dialect.__doc__, kind.line_num.__doc__)
print(csv.reader.__name__, csv.reader.__module__, csv.reader.__doc__.splitlines()[1])


def show_errors(*calls):
    for call in calls:
        try:
            print(call())
        except Exception:
            traceback.print_exc(file=sys.stdout)


rows = csv.reader(io.StringIO('a,b\n1,"2,3"\n'), delimiter=",")
print(iter(rows) is rows, next(rows), rows.line_num, rows.dialect.delimiter, list(rows),
      rows.line_num, hasattr(rows, "__dict__"))
show_errors(lambda: csv.reader(), lambda: kind(), lambda: csv.reader([], bad=1),
            lambda: next(csv.reader(['a,"b'], strict=True)), lambda: pickle.dumps(rows),
            lambda: copy.copy(rows), lambda: setattr(rows, "line_num", 3),
            lambda: delattr(rows, "dialect"), lambda: next(csv.reader([1])))
print(list(csv.DictReader(io.StringIO("x,y\n1,2\n3,4\n"))))


def lines():
    yield "p,q\n"
    print("reading from", sys._getframe(1).f_code.co_name, sys._getframe(1).f_back.f_code.co_name)
    raise KeyError("from the lines")


def read_lines():
    source = csv.reader(lines())
    print(next(source))
    try:
        next(source)
    except KeyError:
        traceback.print_exc(file=sys.stdout)


read_lines()
events = []


def profiler(frame, event, arg):
    if frame.f_code.co_name in ("lines", "read_lines", "traced_lines"):
        events.append((event, frame.f_code.co_name,
                       arg.__name__ if event.startswith("c_") else None))


def traced_lines():
    source = csv.reader(iter(["a,b", "c,d"]))
    return [row for row in source]


sys.setprofile(profiler)
traced_lines()
sys.setprofile(None)
print(*events, sep="\n")


# A file opened by `open` runs its codec's Python code as the reader reads it (here a
# codec of the program's): a profiler sees it called from the frame that read the rows,
# and `profile` checks that.
import codecs
import os
import profile
import tempfile


class Decoder(codecs.IncrementalDecoder):
    def decode(self, data, final=False):
        return data.decode("utf-8").upper()


def search(name):
    if name == "shouting":
        return codecs.CodecInfo(codecs.utf_8_encode, codecs.utf_8_decode, name="shouting",
                                incrementaldecoder=Decoder)
    return None


codecs.register(search)
with tempfile.TemporaryDirectory() as directory:
    path = os.path.join(directory, "rows.csv")
    with open(path, "w", encoding="utf-8") as file:
        file.write("x,y\n" * 1000)

    def read_file():
        with open(path, newline="", encoding="shouting") as file:
            return [row for row in csv.reader(file)]

    def read_list():
        return sum(1 for row in csv.reader(["x,y"] * 1000))

    profiled = profile.Profile()
    rows, count = profiled.runcall(lambda: (read_file(), read_list()))
    print(len(rows), rows[0], count)
    profiled.create_stats()
    print(sorted({name for (_, _, name), _ in profiled.stats.items()
                  if name in ("decode", "read_file", "read_list", "<listcomp>")}))
    callers = set()

    def watcher(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "decode":
            callers.add(frame.f_back.f_code.co_name)

    sys.setprofile(watcher)
    read_file()
    sys.setprofile(None)
    print(sorted(callers))
codecs.unregister(search)
