# A syntax error in an imported module, uncaught.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
print("importing")
import broken.bad_syntax
