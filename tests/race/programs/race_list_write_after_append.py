# expect: attribute 'text' of Message object
# A list's append publishes what its thread did before it, not after: a write to the
# item after the append races with the thread that popped it.
import threading

items = []


class Message:
    def __init__(self, text):
        self.text = text


def produce():
    message = Message("ping")
    items.append(message)
    message.text = "pong"


thread = threading.Thread(target=produce)
thread.start()
while not items:
    pass
message = items.pop()
print(len(message.text))
thread.join()
