# An uncaught KeyboardInterrupt: traceback, then death by SIGINT (exit status -2 / 130).
def work():
    raise KeyboardInterrupt


try:
    work()
except KeyboardInterrupt:
    print("caught once")
print("again")
work()
