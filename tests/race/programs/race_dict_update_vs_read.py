# expect: item 'level' of dict
# dict.update is atomic, but it still writes each key it stores: one thread updating
# a settings dict while another reads the same key, with no lock, is a race.
import threading

settings = {"level": 0}


def configure():
    for n in range(100):
        settings.update({"level": n})


def read():
    total = 0
    for _ in range(100):
        total += settings["level"]
    return total


threads = [threading.Thread(target=configure), threading.Thread(target=read)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
