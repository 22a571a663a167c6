# expect: no race
# threading.local data is never shared: each thread has its own `local.count`.
import threading

local = threading.local()
totals = [None, None]


def work(index):
    local.count = 0
    for _ in range(100):
        local.count += 1
    totals[index] = local.count


threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(totals)
