# modes: default, gil, race
# Text files, str.encode and bytes.decode run the standard codecs' Python code, which a
# profiler and a tracer see as in CPython: the incremental decoder's `decode`, the first
# look-up of an encoding (encodings.search_function importing encodings.latin_1), an
# encoder made for a file written. The codec of the encoding CPython had looked up as it
# started is found unseen, as there, even by cProfile as the program first reads text.
# (Left out: the import machinery's own events.)
import codecs
import cProfile
import io
import os
import pstats
import sys
import tempfile

events = []


def codec_frame(frame):
    filename = frame.f_code.co_filename
    return filename == "<frozen codecs>" or os.sep + "encodings" + os.sep in filename


def record(frame, event, arg):
    if event in ("call", "return"):
        if codec_frame(frame):
            events.append((event, os.path.basename(frame.f_code.co_filename),
                           frame.f_code.co_name))
    elif event in ("c_call", "c_return", "c_exception"):
        if codec_frame(frame):
            events.append((event, arg.__name__))
    return record


directory = tempfile.mkdtemp()
path = os.path.join(directory, "text.txt")
with open(path, "wb") as f:
    f.write("h\u00e9llo\n".encode() * 3)

# The program's first text: cProfile (a monitoring tool from 3.12) sees its codec's calls.
profiler = cProfile.Profile()
profiler.enable()
with open(path, encoding="utf-8") as f:
    f.read()
profiler.disable()
print("cProfile:", sorted((os.path.basename(filename), name, calls)
                          for (filename, line, name), (_, calls, *_) in
                          pstats.Stats(profiler).stats.items() if filename != "~"))


def work():
    with open(path, encoding="utf-8") as f:
        print(repr(f.read()))
    with open(path, encoding="latin-1") as f:
        print(repr(f.readline()))
    with open(path + ".16", "w", encoding="utf-16") as f:
        f.write("x")
    print("abc".encode("cp1252"), b"abc".decode("utf-8"))
    print(io.TextIOWrapper(io.BytesIO(b"abc"), encoding="ascii").read())
    try:
        "x".encode("no-such-codec")
    except LookupError as error:
        print("LookupError:", error)


sys.setprofile(record)
work()
sys.setprofile(None)
print("profile:")
for event in events:
    print(" ", event)

del events[:]
sys.settrace(record)
work()
sys.settrace(None)
print("trace:")
for event in events:
    print(" ", event)

decoder = codecs.getincrementaldecoder("latin-1")
print(decoder is sys.modules["encodings.latin_1"].IncrementalDecoder,
      type(open(path, encoding="cp1252").buffer).__name__)
print(sorted(name for name in sys.modules if name.startswith("encodings")))
