# expect: attribute 'value' of Shared object
# A finalizer that runs as its thread ends (of a thread-local's value) comes after what
# that thread did, not after what other threads do meanwhile: a write of the starting
# thread made after the start races with the finalizer's read.
import threading

shared = type("Shared", (), {})()
shared.value = 1
local = threading.local()


class Connection:
    def __del__(self):
        print("closed, value", shared.value in (1, 2))


def work():
    local.connection = Connection()


thread = threading.Thread(target=work)
thread.start()
shared.value = 2
thread.join()
