# expect: no race
# queue.SimpleQueue synchronises in C, without a guest lock: put happens before the
# get that returns the item, and the reply goes back through a second queue.
import queue
import threading

requests = queue.SimpleQueue()
replies = queue.SimpleQueue()


class Message:
    def __init__(self, text):
        self.text = text


def echo():
    while True:
        message = requests.get()
        if message is None:
            return
        message.text = message.text.upper()
        replies.put(message)


thread = threading.Thread(target=echo)
thread.start()
for text in ("ping", "pong"):
    message = Message(text)
    requests.put(message)
    reply = replies.get()
    print(reply.text)
    reply.text = None
requests.put(None)
thread.join()
