# modes: default, gil, race
# A codec search function the program registers is asked once per name, by codecs.lookup
# and by C code (str.encode), from the frame that asked; its error reaches that frame;
# unregister removes one registration at a time.
import codecs, sys, traceback
calls = []
def search(name):
    calls.append((name, sys._getframe(1).f_code.co_name))
    if name == "boom":
        raise ValueError("search failed")
    return None
codecs.register(search)
codecs.register(search)
def use():
    for name in ("zz-codec", "boom"):
        try:
            codecs.lookup(name)
        except (LookupError, ValueError) as error:
            print(type(error).__name__, error)
    for name in ("zz_other", "boom"):
        try:
            "x".encode(name)
        except (LookupError, ValueError) as error:
            print(type(error).__name__, error)
            traceback.print_exc(file=sys.stdout)
use()
codecs.unregister(search)
try:
    "x".encode("zz_third")
except LookupError as error:
    print(error)
codecs.unregister(search)
codecs.unregister(search)
try:
    "x".encode("zz_fourth")
except LookupError as error:
    print(error)
print(calls)
try:
    codecs.register(42)
except TypeError as error:
    print(error)
