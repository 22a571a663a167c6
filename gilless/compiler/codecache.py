"""The on-disk compile cache.

A compiled module is stored under a key made of its source, its file name
(host code objects carry it), the gilless version, the host's bytecode magic
and the compile options, so any change to one of them misses the cache.
Entries are written to a private temporary file and renamed into place, so
several processes and threads may fill the cache at once: a reader sees a
whole entry or none, and a damaged entry is compiled again.

Reading and hashing every imported source would cost an import more than
CPython's check of a `.pyc` (the source's modification time and size), so
a source file's entry is also found by the file's status alone: a hard link
to it named after the path, the status (device, inode, size, modification
and change times) and the same version and options (`cached_file`). A
file that changes, or is copied with its times kept, changes its change
time, so a stale link is never found; the source is then read and hashed
as before. Where links cannot be made, each import hashes its source.
"""

import marshal
import os
import sys

from gilless.base.hosttypes import CodeType
from gilless.base.startimage import (cache_directory, remove_quietly, temporary_name,
                                     write_replacing)
from gilless.compiler.codegen import compile_guest

# The C implementation of SHA-256 without `hashlib`, which loads OpenSSL at every start-up:
# `_sha2` from CPython 3.12, `_sha256` before (a module not found costs a search of the path).
try:
    if sys.version_info >= (3, 12):
        from _sha2 import sha256
    else:
        from _sha256 import sha256
except ImportError:
    from hashlib import sha256


class CodeCache:
    def __init__(self, directory=None, write=True):
        self.directory = cache_directory(directory)
        self.write = write

    def _path(self, key_parts, suffix=".code"):
        digest = sha256()
        for index, part in enumerate(key_parts):
            if index:
                digest.update(b"\0")
            digest.update(part)
        key = digest.hexdigest()
        return os.path.join(self.directory, key[:2], key[2:] + suffix)

    def _source_path(self, source, filename, options):
        return self._path((filename.encode("utf-8", "surrogatepass"),
                           options.cache_tag().encode(), source))

    def _status_path(self, path, filename, options):
        """Where the link to the entry of the source file at `path` is, for the file as
        it is now; None if it cannot be read."""
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            return None
        stamp = (f"{status.st_dev}:{status.st_ino}:{status.st_size}:"
                 f"{status.st_mtime_ns}:{status.st_ctime_ns}")
        return self._path((path.encode("utf-8", "surrogatepass"),
                           filename.encode("utf-8", "surrogatepass"),
                           options.cache_tag().encode(), stamp.encode()), ".link")

    def cached_file(self, path, filename, options):
        """`(code, link)`: host code for the source file at `path`, compiled under
        `filename`, if the cache has it for the file as it is now (else None), and
        what to pass as `link` to `compile_module` with the file's source."""
        link = self._status_path(path, filename, options)
        if link is None:
            return None, None
        code = _read(link)
        if code is None:
            return None, link
        return _finished(code, options), None

    def compile_module(self, source, filename, options, link=None, main=False):
        """Host code for the module whose source bytes are `source`, from the cache if
        there. With `link` (from `cached_file`), the entry is also found by the file's
        status from now on.

        `main`: the program's script, which CPython compiles at every run. Its code is
        not kept where it holds a frozenset (the constant of a set display): marshal
        builds a frozenset again by adding its items in the order they were written,
        and under a fixed PYTHONHASHSEED the copy may iterate in another order than
        the compiler's, so the program would print one order at its first run and
        another after. (CPython's `.pyc` files do the same to imported modules.)"""
        path = self._source_path(source, filename, options)
        code = _read(path)
        if code is None:
            code = compile_guest(source, filename, "exec", options=options, finished=False)
            if self.write and not (main and _holds_frozenset(code)):
                self._store(path, code)
        if link is not None and self.write:
            self._link(path, link)
        return _finished(code, options)

    def _link(self, path, link):
        # Replacing a link that holds a damaged entry; renamed into place, as entries are.
        temporary = temporary_name(link)
        try:
            os.makedirs(os.path.dirname(link), exist_ok=True)
            os.link(path, temporary)
            os.replace(temporary, link)
        except OSError:
            # Links are not to be had here: each import hashes its source.
            pass
        # A rename onto a link to the same file (another process made it) does nothing,
        # and leaves the temporary name.
        remove_quietly(temporary)

    def _store(self, path, code):
        write_replacing(path, lambda: marshal.dumps(code))


def _read(path):
    """The code stored at `path`; None if there is none, or it is damaged."""
    try:
        with open(path, "rb") as f:
            code = marshal.loads(f.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    # A damaged entry may still unmarshal, to something else than code.
    return code if type(code) is CodeType else None


def _holds_frozenset(code):
    return any(type(constant) is frozenset
               or (type(constant) is CodeType and _holds_frozenset(constant))
               for constant in code.co_consts)


def _finished(code, options):
    if not options.instrumented:
        return code
    from gilless.compiler import lowering
    return lowering.finish(code, options)
