# expect: member 'job-1' of set
# Check-then-act on a set: two threads test `x in s` and then add x, so both can
# decide they are the first. Each `in` reads the member that the other's add writes.
import threading

seen = set()
started = []


def claim(job):
    if job not in seen:
        seen.add(job)
        started.append(job)


threads = [threading.Thread(target=claim, args=("job-1",)) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("done")
