# expect: item Path('config') of dict
# `if k not in d: d[k] = ...` from two threads with a key whose class compares in
# Python (a frozen dataclass, as `pathlib.Path` does): the detector knows such a key's
# location by the key object, comparing it with none of the program's code, and the
# threads share the key object here.
import dataclasses
import threading


@dataclasses.dataclass(frozen=True)
class Path:
    name: str

    def __repr__(self):
        return f"Path({self.name!r})"


cache = {}
config = Path("config")


def lookup(key):
    if key not in cache:
        cache[key] = object()
    return cache[key]


threads = [threading.Thread(target=lookup, args=(config,)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
