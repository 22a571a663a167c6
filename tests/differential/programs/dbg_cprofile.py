# modes: default, gil
# cProfile's rows (names and call counts) are CPython's: exec, eval and compile as the
# built-ins they are, nothing of the runtime, also for a profiler enabled inside another,
# in a thread, and sys.getprofile() gives the profiler.
import cProfile
import pstats
import sys
import threading


def square(x):
    return eval(compile("x * x", "<square>", "eval"), {"x": x})


def work():
    exec("y = 1")
    return sorted(square(i) for i in range(3))


def rows(profiler):
    return sorted((path.rsplit("/", 1)[-1], name, row[1])
                  for (path, line, name), row in pstats.Stats(profiler).stats.items())


def profiled():
    profiler = cProfile.Profile()
    profiler.enable()
    print("getprofile gives the profiler:", sys.getprofile() is profiler)
    work()
    profiler.disable()
    print(*rows(profiler), sep="\n")


with cProfile.Profile() as outer:
    profiled()
print("outer", *rows(outer), sep="\n")
thread = threading.Thread(target=profiled)
thread.start()
thread.join()
