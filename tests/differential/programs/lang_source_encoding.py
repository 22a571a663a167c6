# Source encodings: a coding declaration (latin-1) and a UTF-8 byte order mark.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "pkgdata"))
import encoded_module
import latin1_module

print(latin1_module.TEXT, len(latin1_module.TEXT), latin1_module.TEXT.encode("utf-8"))
print(encoded_module.VALUE, ascii(encoded_module.VALUE))
print(ascii(compile(b"# -*- coding: latin-1 -*-\ns = '\xe9'\n", "<b>", "exec").co_consts))
