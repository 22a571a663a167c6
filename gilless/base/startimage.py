"""The start-up image: the code of the gilless modules a start-up imports, in one file.

Before the guest's first line runs, a start-up imports some forty gilless
modules, and the host's import system finds each on the path and opens,
reads and checks its `.pyc`: about 1 ms of a start-up on 3.11, a tenth of
gilless's own part. The image keeps their code in one file of the compile
cache's directory, read once by `load` before gilless imports its command
line: each module's code with the path, size and modification time of its
source, so a module whose source changed since (an editable install being
worked on) is imported from the source as usual. `save`, when the start-up
is over, writes the image again if a module of gilless was imported
another way, adding to what the image held; the file is replaced by a
rename, so processes starting together read a whole image or none.

The file is a header (marshalled: the format, the package's directory, and
per module and per generated code object where its marshalled code lies)
after its own length, then the code objects' bytes; each is unmarshalled
from a view of the one buffer read, as its module is imported.

The image also keeps the code gilless generates from its own templates as
it starts (a wrapper per signature in `frames.hides_frames`, the generator
guard's steps): `compiled` compiles a template once, not at every start-up,
where each costs 0.1 to 0.3 ms (3.13t). Found by its source text, it is
never stale.

One image per installation of gilless (the name of its directory is hashed
into the file's name) and per host: the directory is the compile cache's,
named after gilless's version and the host's bytecode (`cache_directory`),
and the host's optimisation level is part of the name, as it is of a
`.pyc`'s. The image and the compile cache's entries are written the same
way (`write_replacing`).
"""

import marshal
import os
import sys
from _frozen_importlib_external import MAGIC_NUMBER, SourceFileLoader, spec_from_file_location
from _thread import get_ident

import gilless
from gilless.userdirs import user_cache_dir

_PACKAGE_DIR = os.path.dirname(os.path.abspath(gilless.__file__))

# Increased whenever the file's layout changes.
_FORMAT = 3
# The header's length, at the start of the file.
_LENGTH_BYTES = 8

# The image read at start-up: module name -> (path, size, mtime_ns, is_package, marshalled
# code: bytes, or a view of the file's contents).
_entries = {}
# Its generated code, (source, file name) -> marshalled code; and what this start-up compiled.
_generated = {}
_compiled_now = {}
# Kept from the image when it is written again, beyond those this start-up used.
_MOST_GENERATED = 200
_used = set()
# The names of the modules imported from the image.
_served = set()
# The gilless modules imported before `load`, which the image can never serve; None
# until `load` is called (by the `gilless` command: not by gilless run in a host's
# process for tests or tools, which never write the image).
_before = None


def cache_directory(root=None):
    """The directory of gilless's caches for this version of gilless and this host."""
    host = f"{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}"
    return os.path.join(root or user_cache_dir("gilless", "GILLESS_CACHE_DIR"),
                        f"gilless-{gilless.__version__}-{host}")


def write_replacing(path, make_data):
    """Write the bytes `make_data()` makes (called once the file is open) to the file
    `path` of a cache, through a temporary file private to this process and thread that
    is renamed into place: a reader sees a whole file or none, and writers may race.
    A read-only or full disk only costs speed: nothing is written."""
    temporary = temporary_name(path)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        f = open(temporary, "wb")
    except OSError:
        return
    try:
        with f:
            f.write(make_data())
        os.replace(temporary, path)
    except OSError:
        remove_quietly(temporary)


def temporary_name(path):
    """A name beside `path` private to this process and thread, so that concurrent
    writers never share one."""
    return f"{path}.{os.getpid()}.{get_ident()}.tmp"


def remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def image_path(root=None):
    # A tuple of ints hashes the same in every process (strings do not).
    installation = hash(tuple(os.fsencode(_PACKAGE_DIR))) & 0xFFFF_FFFF_FFFF_FFFF
    return os.path.join(cache_directory(root),
                        f"startup-{installation:016x}-opt{sys.flags.optimize}.image")


def compiled(source, filename):
    """The code of the template `source` that gilless filled in (module mode), compiled
    under `filename`: the image's, else compiled now and kept in the next image."""
    key = (source, filename)
    data = _generated.get(key)
    if data is not None:
        try:
            code = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            pass
        else:
            _used.add(key)
            return code
    from gilless.base.hostcompile import compile_source
    code = compile_source(source, filename, "exec")
    _compiled_now[key] = marshal.dumps(code)
    return code


def keep(source, filename):
    """Have the image keep the code of template `source` (as `compiled` gives it), which
    gilless needs only after the start-up, once the image is written, without
    loading it now."""
    key = (source, filename)
    if key in _generated:
        _used.add(key)
    else:
        compiled(source, filename)


class _ImageLoader(SourceFileLoader):
    """A module's loader as the host's, whose code is the image's."""

    def get_code(self, fullname):
        try:
            code = marshal.loads(_entries[fullname][4])
        except (KeyError, ValueError, EOFError, TypeError):
            return super().get_code(fullname)
        _served.add(fullname)
        return code


class ImageFinder:
    """Finds the modules of the image whose source is as it was when it was written."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        entry = _entries.get(name)
        if entry is None:
            return None
        source, size, mtime_ns, is_package, _ = entry
        if _stamp(source) != (size, mtime_ns):
            return None
        locations = [os.path.dirname(source)] if is_package else None
        return spec_from_file_location(name, source, loader=_ImageLoader(name, source),
                                       submodule_search_locations=locations)


def load(root=None):
    """Serve gilless's modules from the image, where there is one."""
    global _before
    _before = frozenset(name for name in sys.modules if _is_gilless(name))
    try:
        with open(image_path(root), "rb") as f:
            contents = memoryview(f.read())
        header_end = _LENGTH_BYTES + int.from_bytes(contents[:_LENGTH_BYTES], "little")
        image_format, package_dir, entries, generated = marshal.loads(
            contents[_LENGTH_BYTES:header_end])
        if image_format != _FORMAT or package_dir != _PACKAGE_DIR:
            return
        code = contents[header_end:]
        # (Slices of a view copy nothing.)
        _entries.update((name, (*entry[:4], code[entry[4]:entry[5]]))
                        for name, entry in entries.items())
        _generated.update((key, code[start:end]) for key, (start, end) in generated.items())
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        # None yet, or a damaged one: `save` writes it again.
        return
    if ImageFinder not in sys.meta_path:
        sys.meta_path.insert(0, ImageFinder)


def save(root=None):
    """Write the image again if a gilless module was imported from its file rather
    than from the image, or a template compiled: with the code of every gilless
    module imported so far, what the image held of modules not imported this time
    whose source is unchanged, and the generated code."""
    if _before is None:
        return
    missing = {name: module for name, module in list(sys.modules.items())
               if _is_gilless(name) and name not in _before and name not in _served
               and isinstance(_source_loader(module), SourceFileLoader)}
    if not missing and not _compiled_now:
        return
    # The modules' code is read again only once the file could be opened: where the
    # cache cannot be written (a read-only home), a start-up pays for trying only.
    write_replacing(image_path(root), lambda: _image(missing))


def _image(missing):
    """The image's bytes: its entries still valid, the `missing` modules' code, and
    the generated code."""
    entries = {name: entry for name, entry in _entries.items()
               if name not in missing and _unchanged(entry)}
    for name, module in missing.items():
        entry = _entry(name, module)
        if entry is not None:
            entries[name] = entry
    # Templates change as gilless is worked on: past some number, only what this
    # start-up used is kept.
    generated = (dict(_generated) if len(_generated) + len(_compiled_now) <= _MOST_GENERATED
                 else {key: _generated[key] for key in _used})
    generated.update(_compiled_now)
    code = []
    end = 0

    def placed(data):
        """Where `data`, put after the code placed so far, lies after the header."""
        nonlocal end
        code.append(data)
        end += len(data)
        return end - len(data), end

    header = marshal.dumps((_FORMAT, _PACKAGE_DIR,
                            {name: (*entry[:4], *placed(entry[4]))
                             for name, entry in entries.items()},
                            {key: placed(data) for key, data in generated.items()}))
    return b"".join([len(header).to_bytes(_LENGTH_BYTES, "little"), header, *code])


def _is_gilless(name):
    return name == "gilless" or name.startswith("gilless.")


def _source_loader(module):
    return getattr(getattr(module, "__spec__", None), "loader", None)


def _stamp(source):
    """The size and modification time of the file `source`; None if it is gone."""
    try:
        status = os.stat(source)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _unchanged(entry):
    return _stamp(entry[0]) == (entry[1], entry[2])


def _entry(name, module):
    spec = module.__spec__
    source = spec.origin
    # Stamped with the source as it is now, before its code is read: a source changed
    # in between is imported from the file at the next start-up.
    stamp = _stamp(source) if isinstance(source, str) else None
    if stamp is None:
        return None
    try:
        code = spec.loader.get_code(name)
    except (OSError, ImportError, SyntaxError):
        return None
    return (source, *stamp, spec.submodule_search_locations is not None,
            marshal.dumps(code))
