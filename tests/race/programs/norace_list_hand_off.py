# expect: no race
# A list's append and pop are atomic (CPython documents them so; on free-threaded
# CPython each holds the list's lock), so a list serves as a channel between threads,
# as a deque does: an append happens before the pop that takes the item out, so what
# the producer wrote before it is the consumer's to read, with no lock.
import threading

requests = []
replies = []


class Message:
    def __init__(self, text):
        self.text = text


def take(items):
    while True:
        try:
            return items.pop()
        except IndexError:
            pass


def echo():
    while True:
        message = take(requests)
        if message is None:
            return
        message.text = message.text.upper()
        replies.insert(0, message)


thread = threading.Thread(target=echo)
thread.start()
for text in ("ping", "pong"):
    message = Message(text)
    requests.extend([message])
    reply = take(replies)
    print(reply.text)
    reply.text = None
requests.append(None)
thread.join()
