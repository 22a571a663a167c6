# async/await, async generators, async comprehensions, async with/for, driven by asyncio.run.
import asyncio


class Resource:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        print("enter", self.name)
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc):
        print("exit", self.name, exc[0].__name__ if exc[0] else None)
        return False


class Ticker:
    def __init__(self, n):
        self.n = n

    def __aiter__(self):
        self.i = 0
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await asyncio.sleep(0)
        return self.i


async def agen(n):
    for i in range(n):
        yield i * 10
        await asyncio.sleep(0)


async def work(name, delay, results):
    await asyncio.sleep(delay)
    results.append(name)
    return name.upper()


async def main():
    async with Resource("r1") as r:
        print("inside", r.name)
    try:
        async with Resource("r2"):
            raise KeyError("k")
    except KeyError as e:
        print("KeyError", e)
    async for t in Ticker(3):
        print("tick", t)
    print([x async for x in agen(4)])
    print({x: x + 1 async for x in agen(2) if x})
    print([await asyncio.sleep(0, result=i) for i in range(3)])
    results = []
    values = await asyncio.gather(work("b", 0.02, results), work("a", 0.01, results))
    print(values, results)
    task = asyncio.create_task(work("c", 0, results))
    print(await task, task.done())
    try:
        await asyncio.wait_for(asyncio.sleep(10), 0.01)
    except asyncio.TimeoutError:
        print("timed out")
    g = agen(3)
    print(await g.__anext__(), await g.asend(None))
    await g.aclose()
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    print([await q.get() for _ in range(3)])
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 42)
    print(await fut)
    ev = asyncio.Event()

    async def setter():
        ev.set()

    await asyncio.gather(ev.wait(), setter())
    print("event", ev.is_set())
    try:
        await asyncio.gather(failing(), work("d", 0, results))
    except ValueError as e:
        print("gather error", e)
    return "done"


async def failing():
    raise ValueError("fail in task")


print(asyncio.run(main()))


async def coro():
    return 1


c = coro()
print(type(c).__name__, c.__name__)
try:
    c.send(None)
except StopIteration as s:
    print("value", s.value)


async def uncaught():
    await asyncio.sleep(0)
    raise RuntimeError("from a coroutine")


asyncio.run(uncaught())
