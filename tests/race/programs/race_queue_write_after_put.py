# expect: attribute 'text' of Message object
# A queue.Queue's put publishes what its thread did before it, not after (the queue's
# own code makes no event; its lock does): a write to the item after the put races
# with the thread that got it.
import queue
import threading

items = queue.Queue()


class Message:
    def __init__(self, text):
        self.text = text


def produce():
    message = Message("ping")
    items.put(message)
    message.text = "pong"


thread = threading.Thread(target=produce)
thread.start()
message = items.get()
print(len(message.text))
thread.join()
