# expect: attribute 'balance' of Account object
# Each thread takes its own lock: a lock orders only the critical sections of that lock.
import threading


class Account:
    balance = 0


account = Account()


def deposit(lock):
    for _ in range(100):
        with lock:
            account.balance += 1


threads = [threading.Thread(target=deposit, args=(threading.Lock(),)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
