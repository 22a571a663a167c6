# expect: attribute 'created' of class Widget
# A counter kept on the class: every instance's __init__ bumps `Widget.created`, and
# two threads creating widgets race on the class attribute.
import threading


class Widget:
    created = 0

    def __init__(self):
        Widget.created += 1


def make_widgets():
    for _ in range(50):
        Widget()


threads = [threading.Thread(target=make_widgets) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
