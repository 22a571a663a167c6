# expect: no race
# importlib.import_module publishes the module as the import statement does: a thread
# that imports it later (by either means) sees what the module's body wrote.
import importlib
import threading
import time

lengths = [None, None]


def load():
    module = importlib.import_module("shared_table")
    lengths[0] = len(module.TABLE)


def use():
    time.sleep(0.2)  # not an edge: only makes the module's first import the other's
    import shared_table
    lengths[1] = shared_table.TABLE[3]


threads = [threading.Thread(target=load), threading.Thread(target=use)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(lengths)
