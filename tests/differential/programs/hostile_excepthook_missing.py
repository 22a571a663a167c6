# sys.excepthook deleted: "sys.excepthook is missing", then the default display.
import sys

del sys.excepthook
raise ValueError("with a missing hook")
