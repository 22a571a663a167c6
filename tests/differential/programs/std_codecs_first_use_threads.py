# modes: default, gil, race
# Threads that each open a text file at the same moment, in the program's first use of
# text: every one finds its codec (the standard codecs, loaded as the first asks, are
# waited for by the others).
import os
import tempfile
import threading

path = os.path.join(tempfile.mkdtemp(), "text")
with open(path, "wb") as f:
    f.write(b"abc\xe9\n")
start = threading.Barrier(8)
results = []


def read(number):
    encoding = ["latin-1", "utf-8", "cp1252", "utf-16-le"][number % 4]
    start.wait()
    with open(path, encoding=encoding, errors="replace") as f:
        results.append((encoding, f.read()))


threads = [threading.Thread(target=read, args=(number,)) for number in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(results))
