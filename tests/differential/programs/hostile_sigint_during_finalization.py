# A Ctrl-C during finalization ends the process by SIGINT, as in CPython, whose
# finalization restores the signal's default action: no KeyboardInterrupt reaches
# the finalizer, and what it would print next is never printed.
import os
import signal


class Interrupting:
    def __init__(self):
        self.kill, self.pid, self.number = os.kill, os.getpid(), signal.SIGINT

    def __del__(self):
        self.kill(self.pid, self.number)
        print("after SIGINT")


finalized_at_exit = Interrupting()
print("end")
