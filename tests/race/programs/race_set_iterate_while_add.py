# expect: contents of set
# One thread iterates over a set while another adds members to it.
import threading

members = set(range(10))


def reader():
    try:
        for member in members:
            pass
    except RuntimeError:
        pass  # the size changed under the loop


def writer():
    for member in range(10, 20):
        members.add(member)


threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
