import sys

sys.excepthook = None
raise ValueError("with no hook")
