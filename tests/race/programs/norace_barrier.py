# expect: no race
# Barrier: each thread writes its own part before the barrier and reads every part
# after it.
import threading

parties = 3
barrier = threading.Barrier(parties)
parts = [None] * parties
sums = [None] * parties


def work(index):
    parts[index] = index * 10
    barrier.wait()
    sums[index] = sum(parts[i] for i in range(parties))


threads = [threading.Thread(target=work, args=(i,)) for i in range(parties)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sums)
