# At exit, the program's signal handlers are dropped before its modules are
# finalized (CPython's _PySignal_Fini): a handler defined in __main__ no longer keeps
# its namespace alive, so __main__'s objects are finalized while `os` is still there.
import os
import signal

signal.signal(signal.SIGTERM, lambda number, frame: None)


class Resource:
    def __del__(self):
        print("released; os.getcwd is", "there" if os.getcwd is not None else "gone")


resource = Resource()
print("end")
