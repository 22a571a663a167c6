# expect: no race
# The standard library's own synchronisation is correct: two threads logging through
# one logger and handler (the handler's lock, the logging module's lock) do not race.
import io
import logging
import threading

stream = io.StringIO()
logger = logging.getLogger("corpus")
handler = logging.StreamHandler(stream)
handler.setFormatter(logging.Formatter("%(threadName)s %(message)s"))
logger.addHandler(handler)
logger.setLevel(logging.INFO)


def work(name):
    for step in range(20):
        logger.info("%s step %d", name, step)
        logger.debug("hidden %s", name)


threads = [threading.Thread(target=work, args=(name,), name=name) for name in ("a", "b")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
lines = stream.getvalue().splitlines()
print(len(lines), sorted(lines)[0])
