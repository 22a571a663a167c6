"""gilless: a Python 3 implementation, written in Python, with no global interpreter lock.

Guest source is parsed with the host's `ast`, compiled into host code objects
(`gilless.compiler`) and run on host OS threads against the guest world that
`gilless.objspace` builds: its own `sys`, `builtins`, module table and import
system, with the built-in modules of `gilless.module`.
"""

__version__ = "0.1.0"
VERSION_INFO = (0, 1, 0, "alpha", 0)
