# expect: attribute 'ready' of State object
# time.sleep creates no happens-before edge: the worker's write is long done when
# the main thread reads, but nothing orders the two accesses.
import threading
import time


class State:
    ready = False


state = State()


def work():
    state.ready = True


worker = threading.Thread(target=work)
worker.start()
time.sleep(0.2)
print(state.ready)
worker.join()
