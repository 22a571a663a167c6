# expect: attribute 'value' of Result object
# The main thread reads what a worker writes without joining it first: whichever
# runs first, nothing orders the two accesses.
import threading


class Result:
    value = None


result = Result()


def compute():
    result.value = 42


worker = threading.Thread(target=compute)
worker.start()
print(result.value in (None, 42))
worker.join()
