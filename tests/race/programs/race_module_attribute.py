# expect: global 'retries' of module shared_settings
# Two threads update an attribute of an imported module (`module.name = ...`):
# the module's namespace is shared by every thread that imports it.
import threading

import shared_settings


def retry():
    shared_settings.retries = shared_settings.retries + 1


threads = [threading.Thread(target=retry) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
