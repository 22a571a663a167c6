# expect: attribute 'total' of Account object
# `account.total += fee()` reads `total` before it calls `fee()`, which takes the lock
# the other thread set `total` under: the read is not ordered after that write (it may
# have read the old value), though the write that ends the statement is.
import threading
import time

lock = threading.Lock()


class Account:
    def __init__(self):
        self.total = 0


def fee():
    time.sleep(0.2)
    with lock:
        return 1


def charge(account):
    account.total += fee()


def reset(account):
    time.sleep(0.1)
    with lock:
        account.total = 10


account = Account()
threads = [threading.Thread(target=charge, args=(account,)),
           threading.Thread(target=reset, args=(account,))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
