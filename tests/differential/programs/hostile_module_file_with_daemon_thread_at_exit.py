# modes: default, gil
# A buffered file that a module keeps open is written out at exit also while a daemon
# thread still runs: CPython stops the thread and empties the modules; gilless, which
# leaves the modules as they are then, flushes their files.
import json
import os
import sys
import threading
import time

# Buffered, never flushed nor closed: what it holds reaches the output at exit only.
json.out = os.fdopen(os.dup(sys.stdout.fileno()), "w")
json.out.write("written by a file that json holds, flushed at exit\n")
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
print("end")
