import sys
print("runnable __main__", __name__, __package__, __spec__.name, sys.argv[1:])
from . import helper
print(helper.NAME)
