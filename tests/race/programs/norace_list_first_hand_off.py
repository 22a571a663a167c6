# expect: no race
# An object handed over through a list that no other thread used before: the producer
# appends before the consumer first looks at the list (it polls its length, which
# makes no event), and the consumer's pop still orders what the producer wrote before
# its append.
import threading

results = []


class Result:
    def __init__(self, value):
        self.value = value


def produce():
    result = Result(21)
    result.value *= 2
    results.append(result)


thread = threading.Thread(target=produce)
thread.start()
while not results:
    pass
print(results.pop().value)
thread.join()
