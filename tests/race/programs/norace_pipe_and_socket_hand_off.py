# expect: no race
# Data passed through a file descriptor orders the threads that pass it, as
# ThreadSanitizer counts it: what a thread did before it wrote into a pipe, a socket
# pair or a multiprocessing.Queue (a pipe and a feeding thread) happens before what the
# thread that read it does after.
import multiprocessing
import os
import socket
import threading

if __name__ == "__main__":
    shared = {}
    read_end, write_end = os.pipe()

    def through_pipe():
        shared["pipe"] = [1, 2, 3]
        os.write(write_end, b"x")

    threading.Thread(target=through_pipe).start()
    os.read(read_end, 1)
    print(shared["pipe"])

    mine, theirs = socket.socketpair()

    def through_socket():
        shared["socket"] = {"level": 3}
        theirs.sendall(b"ready")

    threading.Thread(target=through_socket).start()
    mine.recv(5)
    print(shared["socket"])

    queue = multiprocessing.Queue()

    def through_queue():
        shared["queue"] = "configured"
        queue.put("done")

    threading.Thread(target=through_queue).start()
    print(queue.get(timeout=30), shared["queue"])
    queue.close()
    queue.join_thread()
    for descriptor in (read_end, write_end):
        os.close(descriptor)
    mine.close()
    theirs.close()
