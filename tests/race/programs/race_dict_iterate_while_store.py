# expect: contents of dict
# One thread iterates over a dict's items while another stores new keys (the
# iteration may fail with "dictionary changed size during iteration").
import threading

table = {i: i for i in range(10)}


def reader():
    try:
        for key, value in table.items():
            pass
    except RuntimeError:
        pass  # the size changed under the loop


def writer():
    for key in range(10, 20):
        table[key] = key


threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
