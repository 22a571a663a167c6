# modes: default, gil, race
# Tracers and profilers see no frame of gilless's around the C pickler: while one is on,
# the pickler's and unpickler's calls of the program's code (__reduce__, persistent_id,
# persistent_load, find_class) come from the frame that called pickle, as in CPython.
# (With none on, that code sees gilless's frames beneath it: see docs/invisible.md.)
import sys, pickle, io, inspect, profile, pstats, collections
class K:
    def __reduce__(self):
        print("reduce's caller:", sys._getframe(0).f_back.f_code.co_name)
        print("stack:", [f.function for f in inspect.stack()])
        return (K, ())
class P(pickle.Pickler):
    def persistent_id(self, obj):
        if obj == "ref":
            print("persistent_id's caller:", sys._getframe(0).f_back.f_code.co_name)
            return "r"
        return None
class U(pickle.Unpickler):
    def persistent_load(self, pid):
        print("persistent_load's caller:", sys._getframe(0).f_back.f_code.co_name)
        return "ref"
    def find_class(self, module, name):
        print("find_class", module, name)
        return super().find_class(module, name)
def work():
    data = pickle.dumps([K(), collections.OrderedDict(a=1)])
    print(pickle.loads(data)[1])
    buffer = io.BytesIO()
    P(buffer).dump(["ref", K])
    print(U(io.BytesIO(buffer.getvalue())).load())
def tracer(frame, event, arg):
    print("trace", event, frame.f_code.co_name, frame.f_code.co_filename.rsplit("/", 1)[-1])
    return tracer
class Quiet:
    def __reduce__(self):
        return (int, ())
def traced():
    return len(pickle.dumps([Quiet()]))
sys.setprofile(lambda frame, event, arg: None)
work()
sys.setprofile(None)
sys.settrace(tracer)
traced()
sys.settrace(None)
def plain():
    return pickle.loads(pickle.dumps({"a": [1, 2], "q": Quiet()}))
p = profile.Profile()
p.runctx("plain()", globals(), locals())
for (path, line, name), row in sorted(pstats.Stats(p).stats.items()):
    print("profile", name, "calls:", row[1])
