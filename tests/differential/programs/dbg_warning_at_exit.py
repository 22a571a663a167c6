# modes: default, gil, race
# An object finalized at exit with no Python frame running warns as CPython's shutdown
# does: from `sys`, line 1 (3.11, 3.12) or `<sys>`, line 0 (3.13).
import warnings

warnings.simplefilter("default")
# (Unbuffered: one object, whose warning names it whatever order the collector finalizes
# objects in; see docs/invisible.md.)
leaked = open(__file__, "rb", buffering=0)
