# expect: attribute 'text' of Message object
# A list's append publishes what its thread did before it, not after: a write to the
# item after the append races with the thread that popped it. (The consumer uses the
# list before the producer's first append: a list is a channel once two threads use
# it, see docs/races.md.)
import threading

items = []
polling = threading.Event()


class Message:
    def __init__(self, text):
        self.text = text


def take():
    while True:
        try:
            return items.pop()
        except IndexError:
            polling.set()


def consume():
    message = take()
    print(len(message.text))


thread = threading.Thread(target=consume)
thread.start()
polling.wait()
message = Message("ping")
items.append(message)
message.text = "pong"
thread.join()
