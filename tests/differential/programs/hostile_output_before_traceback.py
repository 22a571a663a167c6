# What a script printed reaches its stream before the report of its uncaught error:
# CPython flushes the standard streams as the script ends (both go to one pipe here,
# as with `2>&1`).
import os
import sys

os.dup2(sys.stdout.fileno(), sys.stderr.fileno())
print("printed before the error")
raise ValueError("uncaught")
