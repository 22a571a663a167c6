"""The compiler: guest source to host code objects.

Pipeline: `frontend` parses guest source with the host's `ast` (syntax errors
come out in CPython's form, with the guest file, line and caret); `lowering`
rewrites the tree for instrumented execution modes (the GIL mode inserts
switch points); `codegen` turns the tree into a host code object that keeps
the guest file name and line numbers; `codecache` keeps compiled modules on
disk so a module is compiled once per source, gilless version, host version
and mode.

In the default mode no lowering pass runs and source goes straight to host
code: guest objects are host objects (see `gilless.objspace`), so the host's
own code generator already emits the fastest code for them, and the default
mode pays nothing for the existence of other modes.
"""

from gilless.compiler.options import CompileOptions
from gilless.compiler.codegen import compile_guest
from gilless.compiler.codecache import CodeCache

__all__ = ["CompileOptions", "compile_guest", "CodeCache"]
