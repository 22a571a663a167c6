# modes: default, gil, race
# A subclass of list, dict or set whose methods are Python is called as in CPython: the
# caller's frame is the method's f_back, and stacks, tracers and profilers see no frame
# between them (under the race detector the guest's container calls are events).
import inspect
import profile
import pstats
import sys
import traceback


class Log(list):
    def append(self, value):
        print("append's caller:", sys._getframe(0).f_back.f_code.co_name)
        print("stack:", [frame.function for frame in inspect.stack()])
        super().append(value)


class Settings(dict):
    def get(self, key, default=None):
        return super().get(key, default) or "unset"

    def update(self, *args, **kwargs):
        if not args and not kwargs:
            raise ValueError("nothing to update")
        super().update(*args, **kwargs)


class Tags(set):
    def add(self, tag):
        super().add(tag.lower())


def work():
    log = Log()
    log.append(1)
    settings = Settings(colour="blue")
    settings.update(size=3)
    tags = Tags()
    tags.add("A")
    return log, settings.get("shape"), sorted(tags)


print(work())


def tracer(frame, event, arg):
    if frame.f_code.co_filename == __file__:
        print("trace", event, frame.f_code.co_name, frame.f_lineno,
              "from", frame.f_back.f_code.co_name)
    return tracer


sys.settrace(tracer)
settings = Settings()
settings.update(a=1)
print(settings.get("b"))
sys.settrace(None)



def quiet_work():
    settings = Settings(colour="blue")
    settings.update(size=3)
    tags = Tags()
    tags.add("A")
    return settings.get("shape"), sorted(tags)


profiler = profile.Profile()
profiler.runctx("quiet_work()", globals(), locals())
for (path, line, name), row in sorted(pstats.Stats(profiler).stats.items()):
    print("profile", name, "calls:", row[1])

try:
    Settings().update()
except ValueError:
    traceback.print_exc(file=sys.stdout)
