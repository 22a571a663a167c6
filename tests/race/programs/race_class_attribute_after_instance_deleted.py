# expect: attribute 'limit' of class Config
# Once the instance's own attribute is deleted, reading it reads the class's again, in
# the same stretch of the thread (no synchronisation between): that read races with
# another thread changing `Config.limit` without a lock.
import threading


class Config:
    limit = 10


config = Config()
config.limit = 20


def tune():
    Config.limit = 30


def check():
    own = config.limit       # the instance's own attribute, not the class's
    del config.limit
    return own + config.limit  # the class's


threads = [threading.Thread(target=tune), threading.Thread(target=check)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
