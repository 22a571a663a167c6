# Two threads take two locks in opposite orders.
import threading

first = threading.Lock()
second = threading.Lock()


def one():
    with first:
        with second:
            pass


def two():
    with second:
        with first:
            pass


threads = [threading.Thread(target=one), threading.Thread(target=two)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
