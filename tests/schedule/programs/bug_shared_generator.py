# Two threads draw words from one generator: one of them resumes it while
# the other is still running it.
import threading


class Words:
    def __init__(self, words):
        self.words = words
        self.position = 0


def tokens(state):
    while state.position < len(state.words):
        word = state.words[state.position]
        state.position += 1
        yield word


source = tokens(Words(["a", "b", "c", "d"]))
drawn = []


def draw():
    for word in source:
        drawn.append(word)


threads = [threading.Thread(target=draw) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
