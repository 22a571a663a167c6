# expect: no race
# A thread that is never joined hands a result to the event loop with
# call_soon_threadsafe, whose wake-up reads the loop's socket while the loop may be
# closing: asyncio reads it once and gives up on None, a flag, not a race.
import asyncio
import threading


async def main():
    loop = asyncio.get_running_loop()
    result = loop.create_future()
    threading.Thread(target=loop.call_soon_threadsafe, args=(result.set_result, 7)).start()
    print(await result)


asyncio.run(main())
