# The program replaces os.environ: the exit's check of PYTHONINSPECT reads the process's.
import os

os.environ = None
print("environ gone")
