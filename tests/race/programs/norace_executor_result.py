# expect: no race
# concurrent.futures: submit happens before the task runs, and the task happens
# before result() returns.
from concurrent.futures import ThreadPoolExecutor


class Report:
    def __init__(self, rows):
        self.rows = rows
        self.total = None


def summarise(report):
    report.total = sum(report.rows)
    return report


reports = [Report(list(range(n))) for n in range(5)]
with ThreadPoolExecutor(max_workers=2) as pool:
    futures = [pool.submit(summarise, report) for report in reports]
    for future in futures:
        future.result()
    print([report.total for report in reports])
    for report in reports:
        report.total = None
