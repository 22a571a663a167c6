# An uncaught error raised while a module is being imported: importlib frames are hidden.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
import broken.raises
