"""compile() of source text, without the cost of compile() itself.

The host's compile() first asks whether its source is an `ast` tree, and
the first time it asks, the host builds all its `ast` classes: 1.5 ms of
a start-up on CPython 3.11, 3 ms on 3.13t, where CPython's own start-up
compiles its `-c` command in C and builds none, and its `exec` of a string
builds none either. `compile_source` calls the C function that compile()
then calls, `Py_CompileStringObject`, with the flags compile() gives it, so
the code is the code compile() makes (and the audit event the same).
"""

import sys

from gilless.base import hoststack

# compile()'s flags for source given as a str (PyCF_SOURCE_IS_UTF8, PyCF_IGNORE_COOKIE),
# and the C API's start symbols of its modes (Py_single_input, Py_file_input,
# Py_eval_input).
_STR_SOURCE_FLAGS = 0x0100 | 0x0800
# The flags of `from __future__` features that compile() takes (PyCF_MASK).
_FUTURE_FLAGS = 0x1FE0000
_START_SYMBOLS = {"single": 256, "exec": 257, "eval": 258}

_compile_string = None


def compile_source(source, filename, mode, flags=0, optimize=-1):
    """compile(source, filename, mode, flags, dont_inherit=True, optimize=optimize) of a
    str in mode "exec", "eval" or "single", with the flags of `from __future__` features
    at most. ValueError for what compile() would look at further: other flags or modes,
    a NUL character, text that UTF-8 cannot encode (UnicodeEncodeError)."""
    global _compile_string
    if flags & ~_FUTURE_FLAGS or mode not in _START_SYMBOLS:
        raise ValueError("left to compile()")
    encoded = source.encode("utf-8")
    if b"\0" in encoded:
        raise ValueError("source code string cannot contain null bytes")
    host = hoststack.memory()
    if _compile_string is None:
        _compile_string = host.object_function("Py_CompileStringObject")
    # PyCompilerFlags (int cf_flags, int cf_feature_version), which the compiler updates.
    compiler_flags = host.char_array(8)
    compiler_flags[:] = ((flags | _STR_SOURCE_FLAGS).to_bytes(4, sys.byteorder)
                         + sys.version_info.minor.to_bytes(4, sys.byteorder))
    return _compile_string(encoded, host.py_object(filename), _START_SYMBOLS[mode],
                           compiler_flags, optimize)
