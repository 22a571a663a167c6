# expect: no race
# The values of an ended thread's thread-locals are let go as the host deletes the
# thread's state, and their finalizers run in that thread then (a connection kept per
# thread, closed as its thread ends): they come after all the thread did, and so after
# what the thread that started it did before. (So does a `threading` dummy thread's end,
# whose object leaves `threading`'s sets then.)
import _thread
import threading
import time

shared = type("Shared", (), {})()
shared.value = 1
local = threading.local()


class Connection:
    def __del__(self):
        print("closed, value", shared.value)


def work():
    local.connection = Connection()


for _ in range(3):
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

done = threading.Event()


def dummy():
    threading.current_thread()
    done.set()


_thread.start_new_thread(dummy, ())
done.wait()
time.sleep(0.2)
print("dummy thread ended")
