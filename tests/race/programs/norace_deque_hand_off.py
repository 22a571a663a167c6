# expect: no race
# collections.deque's appends and pops are thread-safe (CPython documents them for
# this): an append happens before the pop that takes the item out, so what the
# producer wrote before it is the consumer's to read, with no lock.
import collections
import threading

requests = collections.deque()
replies = collections.deque()


class Message:
    def __init__(self, text):
        self.text = text


def take(items):
    while True:
        try:
            return items.popleft()
        except IndexError:
            pass


def echo():
    while True:
        message = take(requests)
        if message is None:
            return
        message.text = message.text.upper()
        replies.append(message)


thread = threading.Thread(target=echo)
thread.start()
for text in ("ping", "pong"):
    message = Message(text)
    requests.append(message)
    reply = take(replies)
    print(reply.text)
    reply.text = None
requests.append(None)
thread.join()
