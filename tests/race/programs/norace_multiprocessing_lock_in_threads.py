# expect: no race
# multiprocessing's Lock and Semaphore (C code, not `_thread`'s) order the threads of
# one process as threading's do: a counter under the lock, and data handed over by a
# semaphore's release to the acquire it lets through.
import multiprocessing
import threading

if __name__ == "__main__":
    lock = multiprocessing.Lock()
    counter = {"n": 0}

    def bump():
        for _ in range(50):
            with lock:
                counter["n"] += 1

    threads = [threading.Thread(target=bump) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ready = multiprocessing.Semaphore(0)
    shared = {}

    def produce():
        shared["config"] = {"level": 3}
        ready.release()

    producer = threading.Thread(target=produce)
    producer.start()
    ready.acquire()
    print(counter["n"], shared["config"])
    producer.join()
