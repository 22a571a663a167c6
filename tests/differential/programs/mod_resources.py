# importlib.resources, pkgutil, importlib.metadata and zip imports.
import importlib
import importlib.resources
import os
import pkgutil
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
import shapes

print(importlib.resources.files("shapes").joinpath("data.txt").read_text())
print(sorted(m.name for m in pkgutil.iter_modules(shapes.__path__)))
print(pkgutil.get_data("shapes", "data.txt"))
print(sorted(m.name for m in pkgutil.walk_packages(shapes.__path__, "shapes.")))
import importlib.metadata
print(type(importlib.metadata.distributions()).__name__)
directory = tempfile.mkdtemp()
archive = os.path.join(directory, "bundle.zip")
with zipfile.ZipFile(archive, "w") as z:
    z.writestr("zipped_pkg/__init__.py", "NAME = 'zipped package'\n")
    z.writestr("zipped_pkg/inner.py", "def where():\n    return __name__\n")
sys.path.insert(0, archive)
import zipped_pkg.inner
print(zipped_pkg.NAME, zipped_pkg.inner.where(), type(zipped_pkg.__loader__).__name__)
print(zipped_pkg.__file__.replace(directory, "DIR"))
import shutil
shutil.rmtree(directory)
