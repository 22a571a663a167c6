# expect: no race
# Event.set happens before wait returns: the worker publishes a result, then sets the
# event; the main thread waits and reads it, without joining first.
import threading

done = threading.Event()


class Result:
    value = None


result = Result()


def work():
    result.value = sum(range(10))
    done.set()


worker = threading.Thread(target=work)
worker.start()
done.wait()
print(result.value)
result.value = None
worker.join()
