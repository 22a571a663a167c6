# expect: attribute 'value' of Result object
# The worker writes after setting the event: Event.set orders only what came before it.
import threading

done = threading.Event()


class Result:
    value = None


result = Result()


def work():
    done.set()
    result.value = 1


worker = threading.Thread(target=work)
worker.start()
done.wait()
print(result.value in (None, 1))
worker.join()
