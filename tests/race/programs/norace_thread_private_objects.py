# expect: no race
# Objects that only one thread can reach are never shared, however often the code that
# builds them runs in different threads at once.
import threading


class Node:
    def __init__(self, value):
        self.value = value
        self.children = []


def build(depth):
    root = Node(depth)
    if depth:
        for _ in range(2):
            child = build(depth - 1)
            root.children.append(child)
            child.value += root.value
    return root


def total(node):
    result = node.value
    for child in node.children:
        result += total(child)
    return result


sums = [None, None]


def work(index):
    scratch = {}
    for step in range(20):
        scratch[step] = total(build(5))
        scratch[step] += 1
    sums[index] = sum(scratch.values())


threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sums)
