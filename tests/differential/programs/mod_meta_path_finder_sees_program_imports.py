# modes: default, gil, race
# A finder the program puts first on sys.meta_path is asked for the modules the program
# imports, not for those CPython had imported as it started (the standard codecs,
# `codecs`, `_signal`), which gilless imports at their first use.
import sys

asked = []


class Finder:
    def find_spec(self, name, path=None, target=None):
        asked.append(name)
        return None


sys.meta_path.insert(0, Finder())
import json
import signal
"text".encode("latin-1").decode("cp1252")
with open(__file__, encoding="utf-16-le", errors="replace") as f:
    f.read(10)
print(asked)
print(sys.meta_path[0].__class__.__name__, len(sys.meta_path) > 1)
