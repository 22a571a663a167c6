"""The on-disk compile cache.

A compiled module is stored under a key made of its source, its file name
(host code objects carry it), the gilless version, the host's bytecode magic
and the compile options, so any change to one of them misses the cache.
Entries are written to a private temporary file and renamed into place, so
several processes and threads may fill the cache at once: a reader sees a
whole entry or none, and a damaged entry is compiled again.
"""

import marshal
import os
import sys
import threading
import types

import gilless
from gilless.compiler import lowering
from gilless.compiler.codegen import compile_guest
from gilless.userdirs import user_cache_dir

# The C implementation of SHA-256 without `hashlib`, which loads OpenSSL at every start-up.
try:
    from _sha256 import sha256
except ImportError:
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256


def _host_magic():
    """The host's bytecode magic number, without importing `importlib.util` (slow to load)."""
    import _frozen_importlib_external
    return _frozen_importlib_external.MAGIC_NUMBER


def default_cache_dir():
    return user_cache_dir("gilless", "GILLESS_CACHE_DIR")


class CodeCache:
    def __init__(self, directory=None, write=True):
        host = f"{sys.implementation.cache_tag}-{_host_magic().hex()}"
        self.directory = os.path.join(directory or default_cache_dir(),
                                      f"gilless-{gilless.__version__}-{host}")
        self.write = write

    def _path(self, source, filename, options):
        digest = sha256()
        for part in (filename.encode("utf-8", "surrogatepass"), b"\0",
                     options.cache_tag().encode(), b"\0", source):
            digest.update(part)
        key = digest.hexdigest()
        return os.path.join(self.directory, key[:2], key[2:] + ".code")

    def compile_module(self, source, filename, options):
        """Host code for the module whose source bytes are `source`, from the cache if there."""
        path = self._path(source, filename, options)
        try:
            with open(path, "rb") as f:
                code = marshal.loads(f.read())
            # A damaged entry may still unmarshal, to something else than code.
            if type(code) is types.CodeType:
                return lowering.finish(code, options) if options.instrumented else code
        except (OSError, EOFError, ValueError, TypeError):
            pass
        code = compile_guest(source, filename, "exec", options=options, finished=False)
        if self.write:
            self._store(path, code)
        return lowering.finish(code, options) if options.instrumented else code

    def _store(self, path, code):
        # Private to this process and thread, so concurrent writers never share one.
        temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(temporary, "wb") as f:
                f.write(marshal.dumps(code))
            os.replace(temporary, path)
        except OSError:
            # A read-only or full disk only costs speed.
            try:
                os.unlink(temporary)
            except OSError:
                pass
