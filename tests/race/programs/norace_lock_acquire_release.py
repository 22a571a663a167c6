# expect: no race
# Lock.release happens before the next acquire of the same lock.
import threading

lock = threading.Lock()


class Account:
    balance = 0


account = Account()


def deposit():
    for _ in range(100):
        lock.acquire()
        try:
            account.balance += 1
        finally:
            lock.release()


threads = [threading.Thread(target=deposit) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(account.balance)
