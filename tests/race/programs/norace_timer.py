# expect: no race
# threading.Timer is a thread: what the main thread did before start() happens before
# the function runs, and the function happens before join returns.
import threading


class Reminder:
    def __init__(self):
        self.text = "call back"
        self.sent = False


reminder = Reminder()


def send():
    print("sending", reminder.text)
    reminder.sent = True


timer = threading.Timer(0.01, send)
timer.start()
timer.join()
print(reminder.sent)
reminder.sent = False
