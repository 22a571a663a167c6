# expect: no race
# An executor shut down without waiting (an event loop's default executor, which
# `loop.close()` leaves so): its worker thread ends by itself, and as its Thread object
# goes, a weak reference's callback takes it out of concurrent.futures' table of
# workers; at exit that module's hook reads the table, with no join in between. The
# standard library's own race, which the program cannot order.
import asyncio
import time

loop = asyncio.new_event_loop()
loop.run_until_complete(loop.run_in_executor(None, time.sleep, 0.01))
loop.close()
time.sleep(0.2)  # (the worker has ended before exit)
print("done")
