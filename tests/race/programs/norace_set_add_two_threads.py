# expect: no race
# set.add is atomic: two threads adding the same members and different ones to one
# set do not race.
import threading

members = set()


def work(offset):
    for value in range(50):
        members.add(value)
        members.add(offset + value)


threads = [threading.Thread(target=work, args=(offset,)) for offset in (1000, 2000)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(members))
