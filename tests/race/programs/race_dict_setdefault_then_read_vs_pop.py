# expect: item 'session' of dict
# setdefault is atomic, but reading the key again afterwards is a separate access: a
# thread that pops the key in between makes the read fail. Each thread's operation
# is atomic; the read is not ordered with the other thread's pop.
import threading

sessions = {}
seen = []


def open_session():
    sessions.setdefault("session", "new")
    try:
        seen.append(sessions["session"])
    except KeyError:
        seen.append(None)


def close_session():
    sessions.pop("session", None)


threads = [threading.Thread(target=open_session), threading.Thread(target=close_session)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
