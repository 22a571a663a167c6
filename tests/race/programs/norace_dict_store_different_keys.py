# expect: no race
# Stores of different keys into one dict do not race: each key is its own location,
# and the dict's structure changes atomically.
import threading

results = {}


def work(name):
    for step in range(50):
        results[f"{name}-{step}"] = step * step


threads = [threading.Thread(target=work, args=(name,)) for name in ("left", "right")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(results), results["left-7"], results["right-49"])
