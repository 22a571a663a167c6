# expect: no race
# Threads that each make a temporary directory at once: weakref.finalize keeps
# class-level flags and its registry in its class (set by whichever instance comes
# first, "harmless" races by its own comment), and tempfile's one name sequence makes
# its random generator on first use. Both are the modules' own state.
import os
import tempfile
import threading

start = threading.Barrier(4)
made = []


def work():
    start.wait()
    with tempfile.TemporaryDirectory() as directory:
        with tempfile.NamedTemporaryFile(dir=directory) as file:
            file.write(b"data")
        made.append(os.path.isdir(directory))


threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(made)
