# expect: attribute 'count' of Tally object
# In a child that `os.fork` made, threads it starts race as in any process: the fork
# orders what came before it, not what the child's threads do after.
import os
import sys
import threading


class Tally:
    count = 0


tally = Tally()
both_started = threading.Barrier(2)


def count():
    both_started.wait()
    tally.count += 1


pid = os.fork()
if pid == 0:
    threads = [threading.Thread(target=count) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sys.exit(0)
_, status = os.waitpid(pid, 0)
# (The child's verdict is this program's.)
sys.exit(os.waitstatus_to_exitcode(status))
