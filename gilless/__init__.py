"""gilless: a Python 3 implementation, written in Python, with no global interpreter lock.

Guest source is parsed with the host's `ast`, compiled into host code objects
(`gilless.compiler`) and run on host OS threads against the guest world that
`gilless.objspace` builds: its own `sys`, `builtins`, module table and import
system, with the built-in modules of `gilless.module`.

The layers, each importing only from those after it (tests/test_layers.py
checks it): `gilless.cli` (the command line) → `gilless.objspace` (the guest
world, `Space`) → `gilless.race`, `gilless.schedule` and `gilless.threadprof`
(the race detector, the schedule explorer and the thread profiler, tools that
watch guest code) → `gilless.lockorder` (lock-order checking, which the tools
share) → `gilless.concurrency` (the GIL mode, which a `Space` installs) →
`gilless.instrument` (access and synchronisation events, which the tools
consume) → `gilless.module` (the built-in modules) → `gilless.compiler`
(guest source to host code, and its lowering passes) → `gilless.base`
(telling gilless's frames from the guest's, the guest world's installed
state, and the start-up image) → `gilless.userdirs` (the user cache
directory).
"""

__version__ = "0.1.0"
VERSION_INFO = (0, 1, 0, "alpha", 0)
