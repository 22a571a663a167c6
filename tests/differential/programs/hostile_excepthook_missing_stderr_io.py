# sys.excepthook deleted and sys.stderr replaced: the "missing" line and the display go
# to the replacement, which the program prints from an atexit function.
import atexit
import io
import sys

captured = io.StringIO()


@atexit.register
def show():
    sys.__stdout__.write("captured: " + captured.getvalue())


del sys.excepthook
sys.stderr = captured
raise ValueError("with a missing hook")
