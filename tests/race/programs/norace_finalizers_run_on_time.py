# expect: no race
# Recording accesses keeps no frame alive: a function's locals are finalised when
# it returns, as without the detector (so this prints the same lines in the same
# order).
import threading


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("closed", self.name)


def use(name):
    resource = Resource(name)
    resource.used = True


use("local")
print("after use")
thread = threading.Thread(target=use, args=("thread local",))
thread.start()
thread.join()
print("after thread")
