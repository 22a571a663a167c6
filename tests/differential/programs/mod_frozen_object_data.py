# _imp.get_frozen_object with data: unmarshalled, with CPython's errors for data that is not code.
import _imp, marshal
for data in (b"6\'\xd5Cu\x12", marshal.dumps(compile("x=1", "f", "exec")), b'\xe9\x03\x00\x00\x00', b"i\x03\x00\x00\x00", 3):
    try:
        print(_imp.get_frozen_object("x", data).co_filename)
    except (ImportError, TypeError) as e: print(type(e).__name__, e)
