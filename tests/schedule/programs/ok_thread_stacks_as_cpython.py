# Threads' stacks begin with threading's bootstrap, as in CPython: no frame of the
# explorer's beneath them.
import sys
import threading


def stack():
    frame = sys._getframe()
    names = []
    while frame is not None:
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    return names


def body():
    assert stack() == ["stack", "body", "run", "_bootstrap_inner", "_bootstrap"], stack()


threads = [threading.Thread(target=body) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
