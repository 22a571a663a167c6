"""Uncaught exceptions in threads go through threading.excepthook."""
import threading


def fails():
    raise ValueError("boom in thread")


t = threading.Thread(target=fails, name="Worker-1")
t.start()
t.join()

caught = []


def hook(args):
    caught.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))


threading.excepthook = hook
t = threading.Thread(target=fails, name="Worker-2")
t.start()
t.join()
print("custom hook saw", caught)
threading.excepthook = threading.__excepthook__


def exits():
    raise SystemExit(3)


t = threading.Thread(target=exits)
t.start()
t.join()
print("SystemExit in a thread is silent")
