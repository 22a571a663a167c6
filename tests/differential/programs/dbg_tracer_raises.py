# modes: default, gil, race
# A trace or profile function that raises: the error's traceback shows the program's
# frames and the function's own, as in CPython, in the main thread and in one whose
# tracer `threading.settrace` set (whose uncaught error threading reports).
import sys
import threading
import traceback


def raising(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "target":
        raise ZeroDivisionError(f"{event} of {frame.f_code.co_name}")
    return raising


def target():
    return 1


def frames_of(error):
    return [(entry.name, entry.line) for entry in traceback.extract_tb(error.__traceback__)]


for install in (sys.settrace, sys.setprofile):
    install(raising)
    try:
        target()
    except ZeroDivisionError as error:
        install(None)
        print(install.__name__, frames_of(error))

threading.settrace(raising)
thread = threading.Thread(target=target, name="traced")
thread.start()
thread.join()
threading.settrace(None)
traceback.print_exception(ValueError("after"), file=sys.stdout)
