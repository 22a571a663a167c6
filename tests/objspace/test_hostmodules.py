"""Host C modules the guest shares keep one state with the guest's modules:
what C code sets is what the guest reads, and the Python classes and paths
the C code uses are the guest's. Each program runs under gilless and under
the host CPython and must print the same."""

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
