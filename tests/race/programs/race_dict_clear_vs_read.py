# expect: item 'session' of dict
# dict.clear removes every key at once (atomically), which writes each of them: a
# reader of one key in another thread, with no lock, races with it.
import threading

cache = {"session": 1}


def reset():
    cache.clear()


def read():
    found = 0
    for _ in range(50):
        if cache.get("session") is not None:
            found += 1
    return found


threads = [threading.Thread(target=reset), threading.Thread(target=read)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
