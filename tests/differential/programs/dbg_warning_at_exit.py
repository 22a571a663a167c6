# modes: default, gil, race
# An object finalized at exit with no Python frame running warns as CPython's shutdown
# does: from `sys`, line 1 (3.11, 3.12) or `<sys>`, line 0 (3.13).
import warnings

warnings.simplefilter("default")
leaked = open(__file__)
