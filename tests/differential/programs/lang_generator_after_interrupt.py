# A signal's handler that raises as a generator is advanced, its exception caught by
# the program, leaves the generator usable: the free-threaded 3.13 host's guard (which
# starts with the first thread) kept its lock if the handler ran just as it took it,
# and every later step raised "generator already executing".
import signal
import threading


class Tick(Exception):
    pass


def raise_tick(number, frame):
    raise Tick


def numbers():
    n = 0
    while True:
        yield n
        n += 1


signal.signal(signal.SIGALRM, raise_tick)
threading.Thread(target=lambda: None).start()
broken = 0
for _ in range(300):
    generator = numbers()
    try:
        # (Inside the `try`: on a loaded machine the timer can go off before the loop.)
        signal.setitimer(signal.ITIMER_REAL, 0.0002)
        for _ in generator:
            pass
    except Tick:
        pass
    try:
        next(generator)
    except StopIteration:
        pass  # (the handler raised in the generator's body, which ended it)
    except ValueError:
        broken += 1
print("generators left broken:", broken)
