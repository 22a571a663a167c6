# The streams are flushed as the script ends, before the wait for the program's
# threads: what it printed survives a thread that then ends the process at once.
import os
import threading
import time


def end_the_process():
    time.sleep(0.2)
    os._exit(3)


threading.Thread(target=end_the_process).start()
print("printed by the script")
