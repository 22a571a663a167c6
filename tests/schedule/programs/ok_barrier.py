# Each thread writes its slot, meets the others at a barrier, then reads all slots.
import threading

PARTIES = 3
barrier = threading.Barrier(PARTIES)
slots = [None] * PARTIES
sums = []


def work(index):
    slots[index] = index + 1
    barrier.wait()
    sums.append(sum(slots))


threads = [threading.Thread(target=work, args=(i,)) for i in range(PARTIES)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert sums == [6, 6, 6], sums
print(sums)
