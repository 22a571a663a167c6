# modes: default, gil
# The pure-Python profiler checks each frame's caller: imports that run the program's
# code where CPython's C code does (a relative import's package, a package's
# `__getattr__`, a module imported while its package initialises, an extension module
# made for the guest) let it profile to the end, and a package's `__getattr__` runs as
# often as in CPython, its stack the same.
import os
import profile
import sys
import tempfile

root = tempfile.mkdtemp()
files = {
    "pkg/__init__.py": "from .helpers import helper\n",
    "pkg/helpers.py": "def helper():\n    return 1\n",
    "lazypkg/__init__.py": (
        "import traceback\n"
        "calls = []\n"
        "def __getattr__(name):\n"
        "    calls.append((name, [f.name for f in traceback.extract_stack()[-3:-1]]))\n"
        "    if name == 'Thing':\n"
        "        from .sub import Thing\n"
        "        return Thing\n"
        "    raise AttributeError(name)\n"),
    "lazypkg/sub.py": "class Thing:\n    pass\n",
}
for name, text in files.items():
    os.makedirs(os.path.join(root, os.path.dirname(name)), exist_ok=True)
    with open(os.path.join(root, name), "w") as f:
        f.write(text)
sys.path.insert(0, root)

profiler = profile.Profile()
profiler.runctx("import json, logging, tokenize, decimal, pkg\nfrom lazypkg import Thing\n"
                "pkg.helper()\n", globals(), globals())
profiler.create_stats()
import lazypkg
print(lazypkg.calls)
print(sorted((os.path.relpath(file, root), name, calls)
             for (file, line, name), (calls, _, _, _, _) in profiler.stats.items()
             if file.startswith(root)))
