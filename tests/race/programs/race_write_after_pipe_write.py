# expect: item 'late' of dict
# A pipe orders what its writer did before the write, not after: the store after
# `os.write` races with the reader's read, though the reader waited for the byte.
import os
import threading
import time

shared = {}
read_end, write_end = os.pipe()


def writer():
    shared["early"] = 1
    os.write(write_end, b"x")
    shared["late"] = 2


thread = threading.Thread(target=writer)
thread.start()
os.read(read_end, 1)
time.sleep(0.2)
print(shared["early"], shared.get("late"))
thread.join()
