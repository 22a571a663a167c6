# expect: no race
# socketserver's serve_forever polls a flag that shutdown() sets from another thread,
# then waits for the loop to say it has stopped.
import socketserver
import threading


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        pass


server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
thread.start()
server.shutdown()
thread.join()
server.server_close()
print("stopped")
