"""The on-disk compile cache: entries are written, reused, repaired, and safe to fill
from several threads and processes at once."""

import glob
import marshal
import os
import subprocess
import sys
import threading
import time
import types

import pytest

from gilless.compiler import CodeCache, CompileOptions, codecache

SOURCE = b"def double(x):\n    return 2 * x\nresult = double(21)\n"


@pytest.fixture
def counted_compiles(monkeypatch):
    """Count the real compilations the cache asks for."""
    calls = []
    real = codecache.compile_guest

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(codecache, "compile_guest", counting)
    return calls


def entries(directory):
    return glob.glob(os.path.join(directory, "**", "*.code"), recursive=True)


def run(code):
    namespace = {}
    exec(code, namespace)
    return namespace["result"]


def test_second_compile_reads_the_entry(tmp_path, counted_compiles):
    cache = CodeCache(str(tmp_path))
    first = cache.compile_module(SOURCE, "/src/mod.py", CompileOptions())
    assert len(entries(str(tmp_path))) == 1
    second = CodeCache(str(tmp_path)).compile_module(SOURCE, "/src/mod.py", CompileOptions())
    assert counted_compiles == ["/src/mod.py"]
    assert run(first) == run(second) == 42
    assert second.co_filename == "/src/mod.py"


def test_key_covers_source_filename_and_options(tmp_path, counted_compiles):
    cache = CodeCache(str(tmp_path))
    cache.compile_module(SOURCE, "/src/a.py", CompileOptions())
    cache.compile_module(SOURCE, "/src/b.py", CompileOptions())
    cache.compile_module(SOURCE + b"\n", "/src/a.py", CompileOptions())
    cache.compile_module(SOURCE, "/src/a.py", CompileOptions(optimize=1))
    cache.compile_module(SOURCE, "/src/a.py", CompileOptions(gil=False, optimize=2))
    assert len(counted_compiles) == 5
    assert len(entries(str(tmp_path))) == 5


def test_optimize_level_reaches_the_code(tmp_path):
    cache = CodeCache(str(tmp_path))
    source = b"assert False, 'kept'\nresult = __debug__\n"
    with pytest.raises(AssertionError):
        run(cache.compile_module(source, "/src/o.py", CompileOptions()))
    assert run(cache.compile_module(source, "/src/o.py", CompileOptions(optimize=1))) is False


@pytest.mark.parametrize("damage", [b"", b"\x00garbage\xff" * 3, marshal.dumps(12345),
                                    None])
def test_damaged_entry_is_compiled_again(tmp_path, counted_compiles, damage):
    cache = CodeCache(str(tmp_path))
    cache.compile_module(SOURCE, "/src/mod.py", CompileOptions())
    [entry] = entries(str(tmp_path))
    with open(entry, "rb") as f:
        good = f.read()
    with open(entry, "wb") as f:
        f.write(good[:len(good) // 2] if damage is None else damage)
    code = cache.compile_module(SOURCE, "/src/mod.py", CompileOptions())
    assert isinstance(code, types.CodeType)
    assert run(code) == 42
    assert len(counted_compiles) == 2
    with open(entry, "rb") as f:
        assert type(marshal.loads(f.read())) is types.CodeType


def test_read_only_cache_writes_nothing(tmp_path):
    cache = CodeCache(str(tmp_path), write=False)
    assert run(cache.compile_module(SOURCE, "/src/mod.py", CompileOptions())) == 42
    assert entries(str(tmp_path)) == []


def test_unwritable_directory_only_costs_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = CodeCache(str(blocker))
    assert run(cache.compile_module(SOURCE, "/src/mod.py", CompileOptions())) == 42


def _check_all_entries_valid(directory, expected_count):
    found = entries(directory)
    assert len(found) == expected_count
    for entry in found:
        with open(entry, "rb") as f:
            assert type(marshal.loads(f.read())) is types.CodeType
    assert glob.glob(os.path.join(directory, "**", "*.tmp"), recursive=True) == []


def test_concurrent_threads_leave_valid_entries(tmp_path):
    sources = [SOURCE + f"extra = {i}\n".encode() for i in range(8)]
    errors = []

    def fill():
        try:
            for _ in range(5):
                cache = CodeCache(str(tmp_path))
                for i, source in enumerate(sources):
                    code = cache.compile_module(source, f"/src/m{i}.py", CompileOptions())
                    assert run(code) == 42
        except BaseException as error:
            errors.append(error)

    # Daemon threads and one deadline for all: a hang fails the test, not the whole run.
    threads = [threading.Thread(target=fill, daemon=True) for _ in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    assert not [thread for thread in threads if thread.is_alive()], "a filling thread hangs"
    assert errors == []
    _check_all_entries_valid(str(tmp_path), len(sources))


WRITER = """
import sys
from gilless.compiler import CodeCache, CompileOptions
directory = sys.argv[1]
for round in range(20):
    cache = CodeCache(directory)
    for i in range(6):
        source = b"result = 40 + 2\\nvalue = %d\\n" % i
        namespace = {}
        exec(cache.compile_module(source, "/src/p%d.py" % i, CompileOptions()), namespace)
        assert namespace["result"] == 42 and namespace["value"] == i
"""


def test_concurrent_processes_leave_valid_entries(tmp_path):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                                stderr=subprocess.PIPE) for _ in range(4)]
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr.decode()
    _check_all_entries_valid(str(tmp_path), 6)


def test_import_through_gilless_uses_the_cache(tmp_path):
    """A module imported by a guest program is compiled once, then read from the cache."""
    from conftest import run_gilless
    program = tmp_path / "prog"
    program.mkdir()
    (program / "helper.py").write_text("VALUE = 'from helper'\n")
    (program / "main.py").write_text("import helper\nprint(helper.VALUE)\n")
    cache_dir = tmp_path / "cache"
    env = {"GILLESS_CACHE_DIR": str(cache_dir)}
    first = run_gilless(str(program / "main.py"), env=env)
    assert first.stdout == "from helper\n", first.stderr
    helper_entries = [e for e in entries(str(cache_dir))
                      if b"from helper" in open(e, "rb").read()]
    assert len(helper_entries) == 1
    # Replace the entry with code that reveals it was used instead of the source.
    marker = compile("VALUE = 'from the cache'\n", str(program / "helper.py"), "exec")
    with open(helper_entries[0], "wb") as f:
        f.write(marshal.dumps(marker))
    second = run_gilless(str(program / "main.py"), env=env)
    assert second.stdout == "from the cache\n", second.stderr
    # -B, like CPython's, still reads the cache but writes nothing to it.
    before = set(entries(str(cache_dir)))
    (program / "helper.py").write_text("VALUE = 'edited'\n")
    edited = run_gilless("-B", str(program / "main.py"), env=env)
    assert edited.stdout == "edited\n", edited.stderr
    assert set(entries(str(cache_dir))) == before


def cached_file_compiling(cache, path, options=CompileOptions()):
    """A module file's code as the import system gets it: by the file's status, or
    else from its source (and then found by its status from now on)."""
    code, link = cache.cached_file(str(path), str(path), options)
    if code is None:
        code = cache.compile_module(path.read_bytes(), str(path), options, link)
    return code


def test_a_source_file_is_found_by_its_status_without_hashing_it(tmp_path, counted_compiles,
                                                                 monkeypatch):
    source = tmp_path / "mod.py"
    source.write_bytes(SOURCE)
    cache = CodeCache(str(tmp_path / "cache"))
    assert cache.cached_file(str(source), str(source), CompileOptions())[0] is None
    assert run(cached_file_compiling(cache, source)) == 42
    monkeypatch.setattr(CodeCache, "_source_path", None)
    code, link = CodeCache(str(tmp_path / "cache")).cached_file(str(source), str(source),
                                                                CompileOptions())
    assert link is None and run(code) == 42
    assert counted_compiles == [str(source)]
    # Another mode has entries of its own.
    assert cache.cached_file(str(source), str(source), CompileOptions(optimize=1))[0] is None


def test_a_changed_file_is_never_taken_for_the_old_one(tmp_path, counted_compiles):
    """Same size and modification time, restored after the edit (as a copy that keeps
    times would have them): the change time still tells the files apart."""
    source = tmp_path / "mod.py"
    source.write_bytes(SOURCE)
    cache = CodeCache(str(tmp_path / "cache"))
    assert run(cached_file_compiling(cache, source)) == 42
    before = os.stat(source)
    time.sleep(0.05)
    edited = SOURCE.replace(b"2 * x", b"x + x").replace(b"21", b"20")
    assert len(edited) == len(SOURCE)
    source.write_bytes(edited)
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.cached_file(str(source), str(source), CompileOptions())[0] is None
    assert run(cached_file_compiling(cache, source)) == 40
    # Back to the first source: its entry is reused, not compiled again.
    time.sleep(0.05)
    source.write_bytes(SOURCE)
    assert run(cached_file_compiling(cache, source)) == 42
    assert len(counted_compiles) == 2


def test_a_damaged_entry_found_by_status_is_repaired(tmp_path, counted_compiles):
    source = tmp_path / "mod.py"
    source.write_bytes(SOURCE)
    cache = CodeCache(str(tmp_path / "cache"))
    cached_file_compiling(cache, source)
    [entry] = entries(str(tmp_path / "cache"))
    with open(entry, "wb") as f:
        f.write(b"\x00damaged")
    assert run(cached_file_compiling(cache, source)) == 42
    code, link = cache.cached_file(str(source), str(source), CompileOptions())
    assert link is None and run(code) == 42
    assert len(counted_compiles) == 2


def test_a_link_another_process_made_leaves_no_temporary_name(tmp_path):
    source = tmp_path / "mod.py"
    source.write_bytes(SOURCE)
    cache = CodeCache(str(tmp_path / "cache"))
    cached_file_compiling(cache, source)
    # A second process, which found no link before the first made it, links again.
    link = cache._status_path(str(source), str(source), CompileOptions())
    [entry] = entries(str(tmp_path / "cache"))
    cache._link(entry, link)
    assert glob.glob(os.path.join(str(tmp_path / "cache"), "**", "*.tmp"), recursive=True) == []
    assert run(cache.cached_file(str(source), str(source), CompileOptions())[0]) == 42
