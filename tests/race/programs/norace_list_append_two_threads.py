# expect: no race
# list.append is atomic: two threads appending to one list do not race, and the main
# thread reads the list after joining them.
import threading

log = []


def work(name):
    for step in range(100):
        log.append((name, step))


threads = [threading.Thread(target=work, args=(name,)) for name in "ab"]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(log), sorted(log)[0], sorted(log)[-1])
