# sys.stderr is None: an uncaught exception prints nothing, exit status 1.
import sys

sys.stderr = None
raise ValueError("unseen")
