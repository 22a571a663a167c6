# modes: default, gil
# A module named `encodings` in the program's directory (first on sys.path) is never
# imported in its place: CPython imports the standard package as it starts, and the
# codecs C code finds, `import encodings` and the codecs module's look-ups all give it.
import os
import sys
import tempfile

directory = tempfile.mkdtemp()
with open(os.path.join(directory, "encodings.py"), "w") as f:
    f.write("print('the program directory\\'s encodings.py ran')\nsearch_function = None\n")
sys.path.insert(0, directory)

print("x\u00e9".encode("cp1252"), b"\xe9".decode("latin-1"))
import encodings
print(os.path.dirname(encodings.__file__) == os.path.join(os.path.dirname(os.__file__),
                                                        "encodings"))
import codecs
print(codecs.lookup("utf-16").name, callable(encodings.search_function))
import importlib
print(importlib.import_module("encodings") is encodings)
