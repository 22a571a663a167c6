"""Threads blocked in I/O let the others run (in the GIL mode, each wait releases the GIL)."""
import os
import selectors
import socket
import subprocess
import threading
import time

received = []


def reader(sock):
    received.append(sock.recv(100))


left, right = socket.socketpair()
t = threading.Thread(target=reader, args=(left,))
t.start()
time.sleep(0.05)
right.sendall(b"over socketpair")
t.join(10)
print(received.pop(), t.is_alive())

server = socket.create_server(("127.0.0.1", 0))
port = server.getsockname()[1]


def serve():
    connection, _ = server.accept()
    with connection:
        received.append(connection.recv(100))
        connection.sendall(b"pong")


t = threading.Thread(target=serve)
t.start()
with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
    client.sendall(b"ping")
    print(client.recv(100), end=" ")
t.join(10)
print(received.pop(), t.is_alive())
server.close()

read_end, write_end = os.pipe()
t = threading.Thread(target=lambda: received.append(os.read(read_end, 100)))
t.start()
time.sleep(0.05)
os.write(write_end, b"over a pipe")
t.join(10)
print(received.pop(), t.is_alive())


def wait_readable():
    with selectors.DefaultSelector() as selector:
        selector.register(read_end, selectors.EVENT_READ)
        received.append(len(selector.select(timeout=10)))


t = threading.Thread(target=wait_readable)
t.start()
time.sleep(0.05)
os.write(write_end, b"x")
t.join(10)
print("selector events", received.pop(), t.is_alive())

ticks = []
ticker = threading.Thread(target=lambda: [ticks.append(time.sleep(0.01)) for _ in range(5)])
ticker.start()
result = subprocess.run(["sh", "-c", "sleep 0.1; echo from a child"], capture_output=True,
                        text=True, timeout=10)
ticker.join(10)
print(result.stdout.strip(), result.returncode, len(ticks))
