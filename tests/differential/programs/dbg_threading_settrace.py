# threading.settrace reaches the new thread's code and nothing of the runtime's.
import threading


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def work(n):
    exec("fib(n)")
    return eval("fib(n)")


events = []


def tracer(frame, event, arg):
    events.append((event, frame.f_code.co_name))
    return tracer


threading.settrace(tracer)
worker = threading.Thread(target=work, args=(3,), name="worker")
worker.start()
worker.join()
threading.settrace(None)
for event in events:
    print(*event)
