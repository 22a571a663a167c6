# expect: no race
# Threads that start processes at once and share a path: each subprocess start
# swaps the warnings module's filters in and out (os.get_exec_path), and the path
# computes its string and hash on first use, whichever thread asks.
import pathlib
import subprocess
import sys
import threading

folder = pathlib.Path(sys.executable).parent / "bin"
start = threading.Barrier(4)
results = []


def work(number):
    start.wait()
    text = str(folder / f"file{number}")
    same = hash(folder) == hash(pathlib.Path(str(folder)))
    finished = subprocess.run([sys.executable, "-c", "pass"]).returncode
    results.append((text.endswith(f"file{number}"), same, finished))


threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(results))
