# `from package import sub` where the package in sys.modules takes no attributes:
# importlib warns that it cannot bind the submodule, and IMPORT_FROM finds it in
# the module table.
import os
import sys
import tempfile
import warnings

root = tempfile.mkdtemp()
package = os.path.join(root, "unwritable")
os.mkdir(package)
with open(os.path.join(package, "__init__.py"), "w") as f:
    f.write("""import sys

class MyMod(object):
    __slots__ = ['__builtins__', '__cached__', '__doc__', '__file__', '__loader__',
                 '__name__', '__package__', '__path__', '__spec__']
    def __init__(self):
        for attr in self.__slots__:
            setattr(self, attr, globals()[attr])

sys.modules[__name__] = MyMod()
""")
with open(os.path.join(package, "x.py"), "w") as f:
    f.write("value = 42\n")
sys.path.insert(0, root)

import unwritable
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from unwritable import x
print(type(unwritable).__name__, type(x).__name__, x.value)
print([(w.category.__name__, str(w.message).split(" for ")[0]) for w in caught])
try:
    unwritable.x = 1
except AttributeError as error:
    print("AttributeError")
try:
    from unwritable import y
except ImportError as error:
    print("ImportError:", str(error).split(" (")[0])
import shutil
shutil.rmtree(root)
