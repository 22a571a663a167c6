# expect: item 'owner' of dict
# A race on a dict that the program keeps in one global, after the program has used
# many other short-lived dicts (objects without weak references, whose history the
# detector keeps by other means): the shared dict's history must survive them.
import threading
import time

shared = {"owner": None}


def work():
    shared["owner"] = "worker"
    for step in range(120000):
        scratch = {}
        scratch["step"] = step


worker = threading.Thread(target=work)
worker.start()
time.sleep(3)  # no happens-before edge: only makes the late write the likely order
shared["owner"] = "main"
worker.join()
print("done")
