# expect: attribute 'limit' of class Config
# A class attribute read through an instance (`self.limit`) is the class's attribute
# while the instance has none of its own: another thread changing `Config.limit`
# without a lock races with the read.
import threading


class Config:
    limit = 10

    def allowed(self, n):
        return n < self.limit


config = Config()


def tune():
    for n in range(50):
        Config.limit = n


def check():
    return sum(config.allowed(n) for n in range(50))


threads = [threading.Thread(target=tune), threading.Thread(target=check)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
