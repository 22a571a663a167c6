# expect: no race
# Two threads print to one text stream open for reading and writing, as pytest's
# output capture makes sys.stdout: the C TextIOWrapper resets its decoder (Python code
# of codecs) at each write, under the stream's own lock; that is the stream's state.
import io
import sys
import tempfile
import threading

captured = io.TextIOWrapper(tempfile.TemporaryFile(buffering=0), encoding="utf-8",
                            newline="", write_through=True)
sys.stdout = captured


def worker(number):
    for step in range(3):
        print("thread", number, step)


threads = [threading.Thread(target=worker, args=(number,)) for number in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
captured.seek(0)
lines = captured.read().splitlines()
sys.stdout = sys.__stdout__
print(len(lines), "lines printed")
