# sys.stdout deleted: print raises "lost sys.stdout", and the exit does not flush it.
import sys

del sys.stdout
print("nowhere")
