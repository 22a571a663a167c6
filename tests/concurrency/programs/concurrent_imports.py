"""Threads importing the same modules at the same moment; a circular import across threads."""
import os
import sys
import tempfile
import threading

THREADS = 8
root = tempfile.mkdtemp()
package = os.path.join(root, "hotpkg")
os.mkdir(package)
os.mkdir(os.path.join(root, "cyclepkg"))
files = {
    "executions.py": "log = []\n",
    "hotpkg/__init__.py": "import executions, time\nexecutions.log.append('hotpkg')\ntime.sleep(0.05)\n",
    "hotpkg/slow.py": ("import executions, time\nexecutions.log.append('hotpkg.slow')\n"
                       "time.sleep(0.1)\nVALUE = sum(range(1000))\n"),
    "cycle_a.py": ("import time\ntime.sleep(0.1)\nimport cycle_b\n"
                   "def name():\n    return 'a'\n"),
    "cycle_b.py": ("import time\ntime.sleep(0.1)\nimport cycle_a\n"
                   "def name():\n    return 'b'\n"),
    "cyclepkg/__init__.py": "",
    "cyclepkg/left.py": "import time\ntime.sleep(0.1)\nfrom . import right\n",
    "cyclepkg/right.py": "import time\ntime.sleep(0.1)\nfrom . import left\n",
}
for relative, text in files.items():
    with open(os.path.join(root, relative), "w") as f:
        f.write(text)
sys.path.insert(0, root)

start = threading.Barrier(THREADS)
modules = []


def importer():
    start.wait()
    from hotpkg import slow
    import hotpkg.slow
    modules.append((slow, hotpkg.slow.VALUE))


threads = [threading.Thread(target=importer) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
import executions
print("executed once:", sorted(executions.log))
print("same module everywhere:", len({id(m) for m, _ in modules}), {v for _, v in modules})

results = {}


def import_cycle(name):
    module = __import__(name)
    results[name] = module.__name__


cycle = [threading.Thread(target=import_cycle, args=(n,))
         for n in ("cycle_a", "cycle_b", "cyclepkg.left", "cyclepkg.right")]
for t in cycle:
    t.start()
for t in cycle:
    t.join(30)
print("circular import across threads:", sorted(results.items()),
      [t.is_alive() for t in cycle])
import cycle_a, cycle_b
print(cycle_a.cycle_b.name(), cycle_b.cycle_a.name())
