# expect: no race
# Lists, dicts and sets that each call of a function makes and keeps to itself are
# never shared, however many threads run the function at once (the detector leaves
# their accesses out: see docs/races.md).
import threading


def flips(n):
    perm = list(range(n))
    seen = set()
    counts = {}
    push = seen.add
    total = 0
    for k in range(1, n):
        perm[:k + 1] = perm[k::-1]
        first = perm[0]
        counts[first] = counts.get(first, 0) + 1
        if first not in seen:
            push(first)
            total += first
    return total, len(counts), sorted(seen)


results = [None, None]


def run(index):
    results[index] = flips(8 + index)


threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(results)
