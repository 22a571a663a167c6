# expect: no race
# Importing a module publishes what its body wrote: two threads import a module whose
# body fills a table, and read it without a lock.
import threading

lengths = [None, None]


def work(index):
    import shared_table
    lengths[index] = len(shared_table.TABLE) + shared_table.TABLE[3]


threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(lengths)
