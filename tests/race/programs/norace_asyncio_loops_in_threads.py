# expect: no race
# An event loop in each of several threads at once: every loop's tasks are kept in one
# WeakSet of asyncio's, which each asyncio.run copies as it closes (all_tasks) while
# the other loops add to it; all_tasks tries again if the copy fails.
import asyncio
import threading

start = threading.Barrier(4)
results = []


async def main(number):
    queue = asyncio.Queue()
    await queue.put(number)
    await asyncio.sleep(0)
    return await queue.get()


def work(number):
    start.wait()
    results.append(asyncio.run(main(number)))


threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(results))
