"""Host C modules the guest shares keep one state with the guest's modules:
what C code sets is what the guest reads, and the Python classes and paths
the C code uses are the guest's. Each program runs under gilless and under
the host CPython and must print the same."""

import os
import textwrap


from conftest import run_cpython, run_gilless


def assert_same_as_cpython(program, cwd, env=None):
    program = textwrap.dedent(program)
    expected = run_cpython("-c", program, cwd=cwd, env=env)
    actual = run_gilless("-c", program, cwd=cwd, env=env)
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)
    assert expected.returncode == 0, expected.stderr
    return expected.stdout


def test_tzset_updates_the_guests_time_module(tmp_path):
    out = assert_same_as_cpython("""
        import os, time
        for zone in ("EST+05EDT,M3.2.0,M11.1.0", "UTC", "JST-9"):
            os.environ["TZ"] = zone
            time.tzset()
            print(time.tzname, time.timezone, time.altzone, time.daylight,
                  time.strftime("%Z", time.localtime(0)))
    """, tmp_path, env={"TZ": "UTC"})
    assert out.splitlines()[0].startswith("('EST', 'EDT') 18000 14400 1")


def _write_fixed_offset_zone(path, seconds, abbreviation):
    """A version 1 TZif file of one local time type, as zic writes a fixed offset."""
    import struct
    name = abbreviation.encode() + b"\0"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack(">4sc15x6l", b"TZif", b"\0", 0, 0, 0, 0, 1, len(name))
                     + struct.pack(">lBB", seconds, 0, 0) + name)


def test_zoneinfo_raises_the_guests_error_and_reads_the_guests_path(tmp_path):
    _write_fixed_offset_zone(tmp_path / "zones" / "Test" / "Zone", 5 * 3600 + 1800, "XYZ")
    out = assert_same_as_cpython("""
        import datetime, os, zoneinfo
        try:
            zoneinfo.ZoneInfo("Nowhere/Nothing")
        except zoneinfo.ZoneInfoNotFoundError as error:
            print("caught", type(error).__module__, type(error).__qualname__)
        zoneinfo.reset_tzpath([os.path.abspath("zones")])
        zone = zoneinfo.ZoneInfo("Test/Zone")
        moment = datetime.datetime(2020, 1, 1, tzinfo=zone)
        print(moment.utcoffset(), moment.tzname(), zoneinfo.available_timezones())
        zoneinfo.reset_tzpath([])
        try:
            zoneinfo.ZoneInfo.no_cache("Test/Zone")
        except zoneinfo.ZoneInfoNotFoundError:
            print("not found once the path is empty")
    """, tmp_path, env={"PYTHONTZPATH": ""})
    assert "caught zoneinfo._common ZoneInfoNotFoundError\n" in out
    assert "5:30:00 XYZ {'Test/Zone'}\n" in out


def test_c_types_are_registered_with_the_guests_abcs(tmp_path):
    # array and _decimal register their types with the ABCs they import.
    out = assert_same_as_cpython("""
        import array, collections.abc, decimal, fractions, numbers
        print(isinstance(array.array("i"), collections.abc.MutableSequence),
              isinstance(decimal.Decimal(1), numbers.Number),
              decimal.Decimal(1) < fractions.Fraction(3, 2),
              isinstance(decimal.getcontext().flags, collections.abc.MutableMapping))
    """, tmp_path)
    assert out == "True True True True\n"


def test_pickle_is_the_c_pickler_and_finds_the_guests_classes(tmp_path):
    # Classes of __main__ and of modules the host has its own copy of (collections,
    # pathlib), copyreg's dispatch table, find_class overridden and its errors.
    out = assert_same_as_cpython("""
        import _pickle, collections, copyreg, io, pathlib, pickle

        class Point:
            def __init__(self, x):
                self.x = x

        class Scaled:
            def __init__(self, value):
                self.value = value

        copyreg.pickle(Scaled, lambda scaled: (Scaled, (scaled.value * 10,)))
        print(pickle.Pickler is _pickle.Pickler, pickle.loads is _pickle.loads)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            value = [Point(1), collections.Counter("aab"), pathlib.PurePosixPath("/a"),
                     Scaled(2), collections.OrderedDict(a=1), pickle.PickleBuffer]
            data = pickle.dumps(value, protocol)
            back = pickle.loads(data)
            print(protocol, type(back[0]) is Point, back[0].x, type(back[1]) is collections.Counter,
                  back[2], back[4], back[3].value, back[5] is pickle.PickleBuffer)
            stream = io.BytesIO()
            pickle.Pickler(stream, protocol).dump(value)
            stream.seek(0)
            print(stream.getvalue() == data, pickle.Unpickler(stream).load()[0].x)

        class Finding(pickle.Unpickler):
            def find_class(self, module, name):
                print("find_class", module, name)
                return super().find_class(module, name)

        print(type(Finding(io.BytesIO(pickle.dumps(Point(3)))).load()).__name__)
        for data in (b"cno_such_module\\nthing\\n.", b"c__main__\\nnothing\\n."):
            try:
                pickle.loads(data)
            except Exception as error:
                print(type(error).__name__, error)
    """, tmp_path)
    assert out.startswith("True True\n0 True 1 True /a OrderedDict(")
    assert ") 20 True\nTrue 1\n5 True 1 True /a " in out
    assert "find_class __main__ Point\nPoint\n" in out


def test_pickling_in_threads_shows_the_guests_modules_only_while_needed(tmp_path):
    # While a pickler runs, the host's module table shows the guest's __main__ and
    # collections to its C code; once every thread is done, the host's are back.
    out = assert_same_as_cpython("""
        import collections, gc, pickle, sys, threading, types

        class Point:
            def __init__(self, x):
                self.x = x

        def host_module_table():
            # The host interpreter's own (guest objects are host objects).
            found = [module for module in gc.get_objects() if type(module) is types.ModuleType
                     and module.__name__ == "sys" and module is not sys]
            return found[0].modules if found else sys.modules

        table = host_module_table()
        before = {name: table.get(name) for name in ("__main__", "collections")}
        errors = []

        def work(count):
            try:
                for i in range(count):
                    back = pickle.loads(pickle.dumps([Point(i), collections.Counter([i])], i % 6))
                    assert type(back[0]) is Point and back[0].x == i, back
                    assert type(back[1]) is collections.Counter, back
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=work, args=(1500,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(errors, all(table.get(name) is module for name, module in before.items()))
    """, tmp_path)
    assert out == "[] True\n"


def test_a_c_module_the_host_loaded_first_is_not_shared(tmp_path):
    # Its state holds the host's copyreg tables: the guest's pickle falls back to
    # its pure-Python pickler, as CPython's does without _pickle.
    program = textwrap.dedent("""
        import sys
        import _pickle
        from gilless.cli.main import main
        sys.exit(main(["-c", '''
        try:
            import _pickle
        except ModuleNotFoundError as error:
            print(error)
        import pickle
        print(pickle.Pickler.__name__, pickle.loads(pickle.dumps({1: [2]})))
        ''']))
    """)
    result = run_cpython("-c", program, cwd=tmp_path)
    assert result.stdout == (
        "gilless does not load the host's '_pickle' module: the host loaded it before "
        "the guest, with the host's copyreg's dispatch tables\n_Pickler {1: [2]}\n"), result.stderr


def test_asyncio_and_elementtree_accelerators_use_the_guests_packages(tmp_path):
    out = assert_same_as_cpython("""
        import _asyncio, _elementtree, asyncio, copy
        import xml.etree.ElementTree as ET

        print(asyncio.Future is _asyncio.Future, asyncio.Task is _asyncio.Task,
              ET.Element is _elementtree.Element)

        async def fail():
            await asyncio.sleep(0)
            raise asyncio.InvalidStateError("from a task")

        async def main():
            print(await asyncio.create_task(asyncio.sleep(0.01, "done")))
            future = asyncio.get_running_loop().create_future()
            for awaitable in (future.result, asyncio.create_task(fail())):
                try:
                    awaitable() if callable(awaitable) else await awaitable
                except asyncio.InvalidStateError as error:
                    print("caught", type(error).__module__, error)
            sleeper = asyncio.create_task(asyncio.sleep(5))
            await asyncio.sleep(0)
            sleeper.cancel()
            try:
                await sleeper
            except asyncio.CancelledError as error:
                print("cancelled", type(error).__module__)
            print(asyncio.all_tasks() == {asyncio.current_task()})

        asyncio.run(main())
        tree = ET.fromstring("<a><b x='1'>t</b><b/></a>")
        print(len(tree.findall("b")), tree.find("b").get("x"), ET.tostring(copy.deepcopy(tree)))
        try:
            ET.fromstring("<a>")
        except ET.ParseError as error:
            print("caught", type(error).__module__, error)
    """, tmp_path)
    assert out.startswith("True True True\ndone\ncaught asyncio.exceptions")


def test_codec_lookup_finds_the_guests_codecs(tmp_path):
    # The guest's encodings package and search functions answer codecs.lookup
    # (the host's registry answered with the host's CodecInfo); C code such as
    # str.encode finds the codecs the guest registers.
    out = assert_same_as_cpython("""
        import codecs, encodings

        info = codecs.lookup("  UTF--8 ")
        print(type(info) is codecs.CodecInfo, info.name, type(codecs.lookup("cp1252")) is codecs.CodecInfo,
              isinstance(codecs.getincrementalencoder("utf-16")(), codecs.IncrementalEncoder))

        def search(name):
            if name == "shouting":
                return codecs.CodecInfo(lambda text, errors="strict": (text.upper().encode(), len(text)),
                                        lambda data, errors="strict": (bytes(data).decode().lower(), len(data)),
                                        name="shouting")
            if name == "broken":
                return (1, 2)

        codecs.register(search)
        print("abc".encode("shouting"), b"XY".decode("Shouting"), codecs.lookup("SHOUTING").name)
        codecs.unregister(search)
        for name in ("shouting", "broken", b"utf-8", "a\\0b"):
            try:
                codecs.lookup(name)
            except (LookupError, TypeError, ValueError) as error:
                print(type(error).__name__, error)
        print(codecs.encode("hi", "rot13"), "h\\xe9".encode("cp1252"))
    """, tmp_path)
    assert out.startswith("True utf-8 True True\nb'ABC' xy shouting\nLookupError unknown encoding: shouting\n")


def test_pickling_the_guests_sys_functions_in_threads_leaves_the_hosts_sys(tmp_path):
    # The C pickler imports `sys` and looks the function up there: its first lookup
    # is the guest's `sys`, every other reader's (a host thread that imports `sys`
    # meanwhile) the host's.
    out = assert_same_as_cpython("""
        import gc, pickle, sys, threading, types

        def host_sys():
            # The host interpreter's own (guest objects are host objects).
            found = [module for module in gc.get_objects() if type(module) is types.ModuleType
                     and module.__name__ == "sys" and module is not sys]
            return found[0] if found else sys

        host = host_sys()
        errors = []

        def work(count):
            try:
                for i in range(count):
                    for function in (sys.getrecursionlimit, sys.settrace, sys.exit):
                        data = (pickle.dumps if i % 2 else pickle._dumps)(function, i % 6)
                        assert pickle.loads(data) is function, (function, data)
            except BaseException as error:
                errors.append(error)

        def watch(count):
            # What `import sys` gives host code: the host's table, read while the
            # picklers run.
            try:
                for _ in range(count):
                    seen = host.modules["sys"]
                    assert seen.modules is host.modules and seen.path is host.path, seen
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=work, args=(1000,)) for _ in range(6)]
        threads.append(threading.Thread(target=watch, args=(20000,)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(errors, host.modules["sys"] is host)
    """, tmp_path)
    assert out == "[] True\n"


def test_unpickling_a_codec_function_leaves_the_hosts_codec_search_alone(tmp_path):
    # find_class imports encodings.base64_codec for the C unpickler: the guest's
    # module is shown to it for the call only, as the host's own `encodings`
    # package would otherwise import it from the host's table for `str.encode`.
    out = assert_same_as_cpython("""
        import codecs, pickle
        function = pickle.loads(pickle.dumps(codecs.lookup("base64").encode))
        print(function is codecs.lookup("base64").encode)
        for call in (lambda: "text".encode("base64_codec"), lambda: b"data".decode("base64_codec")):
            try:
                call()
            except LookupError as error:
                print(error)
    """, tmp_path)
    assert out.startswith("True\n'base64_codec' is not a text encoding")


CURSES_PROGRAM = """
import curses, sys

def screen(stdscr):
    curses.start_color()
    return (curses.LINES, curses.COLS, curses.ACS_VLINE == vars(curses)["ACS_VLINE"],
            curses.COLORS, curses.COLOR_PAIRS, stdscr.getmaxyx(), curses.has_colors())

print(curses.wrapper(screen), file=sys.stderr)
"""


def run_on_a_terminal(command, program):
    """`command -c program` with a pseudo-terminal of 24x80 as its standard input and
    output (what it draws), and its standard error as the result."""
    import pty
    import subprocess
    from conftest import child_env
    controller, terminal = pty.openpty()
    try:
        completed = subprocess.run(command + ["-c", program], stdin=terminal, stdout=terminal,
                                   stderr=subprocess.PIPE, text=True, timeout=120,
                                   env=child_env({"TERM": "xterm", "LINES": "24", "COLUMNS": "80"}))
    finally:
        os.close(controller)
        os.close(terminal)
    return completed.returncode, completed.stderr


def test_curses_reads_what_its_c_module_sets_as_the_screen_starts():
    # _curses writes LINES, COLS, the ACS_ characters and COLORS into its own
    # module's namespace; curses copies them from there.
    from conftest import GILLESS, HOST_PYTHON
    expected = run_on_a_terminal([HOST_PYTHON], CURSES_PROGRAM)
    assert expected == (0, "(24, 80, True, 8, 64, (24, 80), True)\n")
    assert run_on_a_terminal(GILLESS, CURSES_PROGRAM) == expected


def test_curses_without_a_terminal_fails_as_in_cpython(tmp_path):
    out = assert_same_as_cpython("""
        import curses, os, sys
        try:
            curses.setupterm("no-such-terminal", os.open(os.devnull, os.O_WRONLY))
        except curses.error as error:
            print("error:", error)
        curses.setupterm("xterm", os.open(os.devnull, os.O_WRONLY))
        print(curses.tigetstr("clear"), curses.tigetnum("colors"), curses.tigetflag("am"))
        sys.stdout.flush()
        try:
            curses.wrapper(lambda screen: None)
        except curses.error as error:
            print("error:", error)
    """, tmp_path, env={"TERM": "xterm"})
    assert out.startswith("error: setupterm: could not find terminal\nb'\\x1b[H\\x1b[2J' 8 1\n")
    assert out.endswith("error: nocbreak() returned ERR\n")
