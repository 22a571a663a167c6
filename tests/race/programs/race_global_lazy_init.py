# expect: global '_config' of module __main__
# Lazy initialisation of a module global: two threads can both see None and both
# build the value.
import threading

_config = None


def get_config():
    global _config
    if _config is None:
        _config = {"debug": False}
    return _config


threads = [threading.Thread(target=get_config) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
