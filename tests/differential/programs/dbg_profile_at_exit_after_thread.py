# A profile function left set at exit, in a program that started a thread, is not
# called once the program's names are gone (on a free-threaded 3.13 host, the thread's
# entry in threading's `_dangling` set was dropped after `__main__` was emptied).
import os
import sys
import threading


def profile(frame, event, arg):
    os.path.basename(frame.f_code.co_filename)


sys.setprofile(profile)
thread = threading.Thread(target=print, args=("in thread",))
thread.start()
thread.join()
print("end")
