# expect: no race
# An instance's own attribute hides the class attribute of the same name: each thread
# reads its own instance's `limit` while another thread changes `Config.limit` under a
# lock the readers do not need.
import threading


class Config:
    limit = 10


lock = threading.Lock()


def tune():
    for n in range(50):
        with lock:
            Config.limit = n


def check(config):
    return sum(n < config.limit for n in range(50))


mine = Config()
mine.limit = 25
threads = [threading.Thread(target=tune), threading.Thread(target=check, args=(mine,))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done", mine.limit)
