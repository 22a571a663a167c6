# modes: default, race
# Once finalization has begun (a __del__ of __main__'s objects), sys.is_finalizing()
# is True, and from 3.12 a new thread raises (PythonFinalizationError from 3.13).
import _thread
import sys


class AtFinalization:
    is_finalizing = sys.is_finalizing
    print = print

    def __del__(self):
        self.print("finalizing:", self.is_finalizing())
        try:
            _thread.start_new_thread(lambda: None, ())
        except RuntimeError as error:
            self.print(type(error).__name__, error)


print("finalizing:", sys.is_finalizing())
at_finalization = AtFinalization()
