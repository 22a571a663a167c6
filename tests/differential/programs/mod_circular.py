# Circular imports: a working cycle through module attributes, and a failing one by name.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
from circular import first, second

print(first.use(), second.use(), first.second is second)
try:
    import circular.broken_a
except ImportError as e:
    print("ImportError:", str(e).replace(os.path.dirname(__file__), "DIR"), e.name)
print(sorted(name for name in sys.modules if name.startswith("circular")))
