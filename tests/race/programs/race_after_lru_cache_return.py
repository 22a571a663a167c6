# expect: attribute 'retries' of Settings object
# A cached function's return orders what its thread did before it with the later
# callers that get the same object from the cache, not what that thread does to it after
# the return: a change made then, with nothing else between the threads, races with their
# reads. (The later caller waits for a file the first creates, which orders nothing for
# the detector.)
import functools
import os
import tempfile
import threading
import time

changed = os.path.join(tempfile.mkdtemp(), "changed")


class Settings:
    pass


@functools.lru_cache
def settings():
    made = Settings()
    made.retries = 3
    return made


def first():
    settings().retries = 4
    open(changed, "w").close()


def later():
    while not os.path.exists(changed):
        time.sleep(0.01)
    print("retries", settings().retries)


threads = [threading.Thread(target=first), threading.Thread(target=later)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
os.remove(changed)
os.rmdir(os.path.dirname(changed))
