"""Threads make progress against a CPU-bound thread (a GIL without switch points hangs)."""
import sys
import threading
import time

flag = []


def set_flag_later():
    time.sleep(0.05)
    flag.append(True)


t = threading.Thread(target=set_flag_later)
t.start()
spins = 0
while not flag:
    spins += 1
t.join()
print("busy main let the sleeper finish")

sys.setswitchinterval(0.001)
print("switch interval", sys.getswitchinterval())
