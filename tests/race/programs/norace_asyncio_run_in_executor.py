# expect: no race
# asyncio hands a worker thread's result to the event loop with call_soon_threadsafe,
# whose callback goes through a deque (the loop's ready queue): no race in the loop.
import asyncio


def work(n):
    return sum(range(n))


async def main():
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(*(loop.run_in_executor(None, work, n) for n in range(1, 20)))
    print(sum(results))
    print(await asyncio.to_thread(work, 100))


asyncio.run(main())
