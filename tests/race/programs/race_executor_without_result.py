# expect: attribute 'total' of Report object
# A task's writes reach the submitting thread only through its future: reading the
# object while the pool may still run it is a race.
from concurrent.futures import ThreadPoolExecutor


class Report:
    total = None


report = Report()


def summarise():
    report.total = 45


with ThreadPoolExecutor(max_workers=1) as pool:
    pool.submit(summarise)
    print(report.total in (None, 45))
